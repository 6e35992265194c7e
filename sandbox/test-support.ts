// Helpers for the sandbox's own tests: a server on a free port with a throw-away state file,
// a consent driver that speaks plain HTTP like a browser would, and token-endpoint shortcuts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SEED_PASSWORD, demoRedirectUri } from "./seed";
import { startSandbox } from "./server";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** Tests probe arbitrary JSON answers, so bodies are loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const CONSOLE_URL = "http://localhost:3999";
export const REDIRECT_URI = demoRedirectUri(CONSOLE_URL);

export interface TestSandbox {
  url: string;
  stateFile: string;
  admin<T = Json>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startTestSandbox(stateFile?: string): Promise<TestSandbox> {
  const dir = stateFile ? null : mkdtempSync(path.join(tmpdir(), "zoho-sandbox-"));
  const file = stateFile ?? path.join(dir!, "state.json");
  const sandbox = await startSandbox({ port: 0, host: "127.0.0.1", stateFile: file, consoleUrl: CONSOLE_URL });
  return {
    url: sandbox.url,
    stateFile: file,
    async admin(method, route, body) {
      const res = await fetch(`${sandbox.url}/_sandbox/${route}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      await sandbox.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One sandbox for the enclosing describe, reset before each test; `use` receives it with a fresh
 * consent driver (cookies of earlier tests gone).
 */
export function withResetSandbox(use: (sb: TestSandbox, driver: ConsentDriver) => void) {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  beforeEach(async () => {
    await sb.admin("POST", "reset");
    use(sb, new ConsentDriver(sb.url));
  });
  afterAll(() => sb.close());
}

const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The visible text of a sandbox page, for error messages and assertions. */
export function textOf(html: string): string {
  return unescapeHtml(html.replace(/<style[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")).trim();
}

export function formOf(html: string): { action: string; fields: URLSearchParams } {
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.append(unescapeHtml(m[1]), unescapeHtml(m[2]));
  }
  return { action: unescapeHtml(action), fields };
}

export interface ConsentOptions {
  email: string;
  password?: string;
  scope: string;
  clientId?: string;
  redirectUri?: string;
  accessType?: "online" | "offline";
  prompt?: string;
  state?: string;
  startDc?: string;
  assistOrg?: string;
  decision?: "accept" | "deny";
}

export interface ConsentResult {
  callback: URL;
  /** Every page the flow passed through, for assertions on the screens. */
  pages: string[];
  visited: string[];
}

/** A browser in miniature: keeps the sandbox session cookie across consents. */
export class ConsentDriver {
  cookie = "";
  private signedInAs: string | null = null;
  constructor(private readonly base: string) {}

  private async go(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(new URL(url, this.base), {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookie },
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith("zsbx_session="));
    if (set) this.cookie = set.split(";")[0];
    return res;
  }

  private post(url: string, fields: URLSearchParams): Promise<Response> {
    return this.go(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: fields.toString() });
  }

  authUrl(o: ConsentOptions): string {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: o.clientId ?? DEMO_CLIENT_ID,
      scope: o.scope,
      redirect_uri: o.redirectUri ?? REDIRECT_URI,
      access_type: o.accessType ?? "offline",
    });
    if (o.prompt !== undefined) q.set("prompt", o.prompt);
    if (o.state !== undefined) q.set("state", o.state);
    return `${this.base}/${o.startDc ?? "us"}/accounts/oauth/v2/auth?${q}`;
  }

  async consent(o: ConsentOptions): Promise<ConsentResult> {
    const redirectUri = o.redirectUri ?? REDIRECT_URI;
    const pages: string[] = [];
    const visited: string[] = [];
    // Another user means signing in afresh, as a second browser profile would.
    if (this.signedInAs !== o.email) this.cookie = "";
    let res = await this.go(this.authUrl(o));
    for (let step = 0; step < 12; step++) {
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get("location")!;
        if (location.startsWith(redirectUri)) return { callback: new URL(location), pages, visited };
        visited.push(location);
        res = await this.go(location);
        continue;
      }
      const html = await res.text();
      pages.push(html);
      if (res.status !== 200 && res.status !== 401) throw new Error(`consent stopped with HTTP ${res.status}: ${textOf(html)}`);
      const { action, fields } = formOf(html);
      if (html.includes('name="password"')) {
        fields.set("email", o.email);
        fields.set("password", o.password ?? SEED_PASSWORD);
        if (res.status === 401) throw new Error("sign-in refused");
        this.signedInAs = o.email;
      } else if (html.includes('name="decision"')) {
        fields.set("decision", o.decision ?? "accept");
      } else if (html.includes('name="assist_org"')) {
        if (!o.assistOrg) throw new Error("organisation chooser shown but no assistOrg given");
        fields.set("assist_org", o.assistOrg);
      } else {
        throw new Error(`unexpected page: ${textOf(html)}`);
      }
      res = await this.post(action, fields);
    }
    throw new Error("consent did not finish");
  }

  /** Consent and return the code from the callback. */
  async code(o: ConsentOptions): Promise<string> {
    const { callback } = await this.consent(o);
    const code = callback.searchParams.get("code");
    if (!code) throw new Error(`no code in callback ${callback}`);
    return code;
  }
}

export async function tokenCall(base: string, params: Record<string, string>, dc = "us"): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}/${dc}/accounts/oauth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.json() };
}

export function exchange(base: string, code: string, dc = "us", extra: Record<string, string> = {}) {
  return tokenCall(
    base,
    { grant_type: "authorization_code", code, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, redirect_uri: REDIRECT_URI, ...extra },
    dc,
  );
}

export function refreshWith(base: string, refreshToken: string, dc = "us", extra: Record<string, string> = {}) {
  return tokenCall(
    base,
    { grant_type: "refresh_token", refresh_token: refreshToken, client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, ...extra },
    dc,
  );
}

export async function api(url: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { headers: { authorization: `Zoho-oauthtoken ${token}`, ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
