import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { database, getDb } from "@/db/client";
import { nowMs } from "@/db/dialect";
import { consoleInstances } from "@/db/schema";
import { config } from "@/lib/config";
import { errorText, log } from "@/lib/log";
import { authSecret, keyRing } from "@/lib/secrets";

/**
 * The console instances on one database. Each writes its row at start and on a heartbeat;
 * health and metrics name the instance; and an instance whose shared settings differ from a
 * live one's is refused at start, where the mismatch is plain, instead of failing later as a
 * session that does not open on one instance or a secret one instance cannot read.
 */

/** A heartbeat this often; an instance unseen for LIVE_MS is taken as stopped. */
const HEARTBEAT_MS = 10_000;
export const LIVE_MS = 3 * HEARTBEAT_MS;

const holder = globalThis as unknown as { __consoleInstance?: { id: string }; __consoleHeartbeat?: NodeJS.Timeout };

/** This process's name: CONSOLE_INSTANCE_NAME, or host and process id. */
export function instanceId(): string {
  return (holder.__consoleInstance ??= { id: config().CONSOLE_INSTANCE_NAME ?? `${os.hostname()}-${process.pid}` }).id;
}

/** The Next.js build this process serves ("development" without one). */
export function buildId(): string {
  try {
    return fs.readFileSync(path.join(process.cwd(), ".next", "BUILD_ID"), "utf8").trim() || "development";
  } catch {
    return "development";
  }
}

const digest = (value: string) => createHash("sha256").update(value).digest("base64url").slice(0, 16);

/**
 * What must be equal on every instance, as digests (the values never leave the process): the
 * session secret, each encryption key by id and which is active, the public URL, and the server
 * actions' key when one is set.
 */
export function settingsFingerprints(): Record<string, string> {
  const ring = keyRing();
  const out: Record<string, string> = {
    AUTH_SECRET: digest(authSecret()),
    CONSOLE_PUBLIC_URL: digest(config().CONSOLE_PUBLIC_URL),
    "ENCRYPTION_KEY active": ring.activeId,
  };
  for (const [id, key] of ring.keys) out[`encryption key "${id}"`] = digest(key.toString("base64"));
  const actionsKey = process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY;
  if (actionsKey) out.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY = digest(actionsKey);
  return out;
}

/**
 * Why `mine` cannot serve beside an instance with `theirs`, or null. Encryption keys may differ
 * while a key is rolled out, as long as each instance can read what the other writes: each
 * one's active key is in the other's ring, and no key id stands for two keys.
 */
export function settingsConflict(mine: Record<string, string>, theirs: Record<string, string>): string | null {
  for (const name of ["AUTH_SECRET", "CONSOLE_PUBLIC_URL", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"]) {
    if (mine[name] !== theirs[name]) return `${name} differs`;
  }
  const keyNames = (f: Record<string, string>) => Object.keys(f).filter((k) => k.startsWith("encryption key "));
  for (const k of keyNames(mine)) {
    if (k in theirs && theirs[k] !== mine[k]) return `${k} is another key there`;
  }
  const active = (f: Record<string, string>) => `encryption key "${f["ENCRYPTION_KEY active"]}"`;
  if (!(active(theirs) in mine)) return `its active ${active(theirs)} is not in this instance's ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS`;
  if (!(active(mine) in theirs)) return `this instance's active ${active(mine)} is not in its key ring`;
  return null;
}

export type InstanceRow = typeof consoleInstances.$inferSelect;

/**
 * Whether the process behind a row may still run: on another host it may (its heartbeat says
 * until LIVE_MS has passed); on this one only if its pid does, so a console restarted here with
 * changed settings is not held back by the row of the process it replaced.
 */
function mayRun(row: InstanceRow): boolean {
  if (row.host !== os.hostname() || row.id === instanceId()) return true;
  try {
    process.kill(row.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // runs, as another user
  }
}

/** Instances seen within LIVE_MS, this one included, without those known to have stopped. */
export async function liveInstances(): Promise<InstanceRow[]> {
  const i = consoleInstances;
  const rows = await getDb()
    .select()
    .from(i)
    .where(and(isNull(i.stoppedAt), gt(i.lastSeenAt, sql`${nowMs()} - ${LIVE_MS}`)))
    .orderBy(i.startedAt);
  return rows.filter(mayRun);
}

/**
 * Registers this instance, refusing to when a live instance's shared settings conflict with
 * this one's (one registration at a time, so two instances starting together see each other).
 */
export async function registerInstance(): Promise<void> {
  const id = instanceId();
  const fingerprints = settingsFingerprints();
  const i = consoleInstances;
  await database().exclusive("instances", async () => {
    const others = (await liveInstances()).filter((row) => row.id !== id);
    for (const other of others) {
      const conflict = settingsConflict(fingerprints, other.fingerprints);
      if (conflict) {
        throw new Error(
          `this instance's settings do not match those of the running instance "${other.id}" (on ${other.host}): ${conflict}. Every instance on one database needs the same AUTH_SECRET, CONSOLE_PUBLIC_URL and encryption keys (see "Run several instances" in the README). If "${other.id}" has stopped, this one starts once it has been silent for ${LIVE_MS / 1000} s.`,
        );
      }
    }
    const row = { host: os.hostname(), pid: process.pid, buildId: buildId(), fingerprints, startedAt: sql`${nowMs()}`, lastSeenAt: sql`${nowMs()}`, stoppedAt: null };
    await getDb()
      .insert(i)
      .values({ id, ...row })
      .onConflictDoUpdate({ target: i.id, set: row });
  });
}

/**
 * Marks this instance seen now. A row that is gone (pruned after a long outage, or a database
 * restored from a backup) is written again, so the instance stays visible.
 */
export async function heartbeat(): Promise<void> {
  const seen = await getDb()
    .update(consoleInstances)
    .set({ lastSeenAt: sql`${nowMs()}`, stoppedAt: null })
    .where(eq(consoleInstances.id, instanceId()))
    .returning({ id: consoleInstances.id });
  if (seen.length > 0) return;
  const now = sql`${nowMs()}`;
  await getDb()
    .insert(consoleInstances)
    .values({ id: instanceId(), host: os.hostname(), pid: process.pid, buildId: buildId(), fingerprints: settingsFingerprints(), startedAt: now, lastSeenAt: now })
    .onConflictDoNothing();
}

/** Beats every HEARTBEAT_MS; idempotent. */
export function startHeartbeat() {
  if (holder.__consoleHeartbeat) return;
  holder.__consoleHeartbeat = setInterval(() => void heartbeat().catch((e) => log("instances").warn({ error: errorText(e) }, "heartbeat failed")), HEARTBEAT_MS);
  holder.__consoleHeartbeat.unref();
}

export interface FleetHealth {
  /** Live instances on this database, this one included. */
  live: number;
  /** Said when live instances serve different builds: a form rendered by one fails on the other. */
  warning?: string;
}

export async function fleetHealth(): Promise<FleetHealth> {
  const live = await liveInstances();
  const mine = buildId();
  const others = live.filter((row) => row.id !== instanceId() && row.buildId !== mine);
  return {
    live: live.length,
    ...(others.length
      ? { warning: `${others.map((o) => `"${o.id}"`).join(", ")} serve${others.length === 1 ? "s" : ""} another build than this instance: finish the deploy, or build once and start every instance from that build` }
      : {}),
  };
}
