// Owns the state, the sandbox clock, and persistence. Writes are debounced and atomic (write a
// temp file, then rename) so a crash mid-write never leaves a half file behind.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_LIMITS } from "./config";
import { buildSeedState, emptyCounters } from "./seed";
import type { SandboxOrg, SandboxState, SandboxUser } from "./types";

const WRITE_DELAY_MS = 50;
/** Dead tokens and codes are kept a while so tests can ask why a token died, then dropped. */
const RETAIN_DEAD_MS = 24 * 3600 * 1000;

export class SandboxStore {
  state: SandboxState;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly consoleUrl: string,
  ) {
    this.state = this.load();
  }

  /** Sandbox time: real time plus the offset moved by POST /_sandbox/clock. */
  now(): number {
    return Date.now() + this.state.clockOffsetMs;
  }

  reset(): void {
    this.state = buildSeedState(this.consoleUrl);
    this.changed();
  }

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeNow();
    }, WRITE_DELAY_MS);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.writeNow();
  }

  userByEmail(email: string): SandboxUser | undefined {
    const wanted = email.trim().toLowerCase();
    return Object.values(this.state.users).find((u) => u.email.toLowerCase() === wanted);
  }

  orgsOf(zuid: string, service?: SandboxOrg["service"]): SandboxOrg[] {
    return this.state.orgs.filter(
      (o) => o.memberZuids.includes(zuid) && (!service || o.service === service),
    );
  }

  private load(): SandboxState {
    let raw: string;
    try {
      raw = readFileSync(this.file, "utf8");
    } catch {
      const seeded = buildSeedState(this.consoleUrl);
      this.state = seeded;
      this.writeNow();
      return seeded;
    }
    try {
      const parsed = JSON.parse(raw) as SandboxState;
      if (parsed?.version !== 1 || typeof parsed.clients !== "object") throw new Error("unknown format");
      // Limits or counters added in later versions get their defaults.
      parsed.limits = { ...DEFAULT_LIMITS, ...parsed.limits };
      parsed.counters = { ...emptyCounters(), ...parsed.counters };
      parsed.faults ??= {};
      return parsed;
    } catch (err) {
      console.warn(`[sandbox] state file unreadable (${(err as Error).message}); starting from the seed`);
      return buildSeedState(this.consoleUrl);
    }
  }

  private prune(): void {
    const cutoff = this.now() - RETAIN_DEAD_MS;
    const s = this.state;
    for (const [k, c] of Object.entries(s.codes)) if (c.expiresAt < cutoff) delete s.codes[k];
    for (const [k, t] of Object.entries(s.accessTokens)) {
      if (t.expiresAt < cutoff || (t.revokedAt !== null && t.revokedAt < cutoff)) delete s.accessTokens[k];
    }
    for (const [k, t] of Object.entries(s.refreshTokens)) {
      if (t.revokedAt !== null && t.revokedAt < cutoff) delete s.refreshTokens[k];
    }
  }

  private writeNow(): void {
    try {
      this.prune();
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.state));
      renameSync(tmp, this.file);
    } catch (err) {
      // Persistence is a convenience; a failed write must not take the server down.
      console.error(`[sandbox] could not write state file: ${(err as Error).message}`);
    }
  }
}
