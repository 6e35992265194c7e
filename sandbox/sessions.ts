// Browser sign-in on the sandbox itself (consent and the developer console). Kept in memory:
// signing in again after a restart is cheap, and tokens, which matter, are persisted.
import { parseCookies, type Req } from "./http";
import { newSessionId } from "./ids";

export const SESSION_COOKIE = "zsbx_session";

export class SessionStore {
  private sessions = new Map<string, string>();

  zuidOf(req: Req): string | null {
    const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return (id && this.sessions.get(id)) || null;
  }

  signIn(zuid: string): string {
    const id = newSessionId();
    this.sessions.set(id, zuid);
    return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
  }

  signOut(req: Req): string {
    const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (id) this.sessions.delete(id);
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  }

  clear(): void {
    this.sessions.clear();
  }
}
