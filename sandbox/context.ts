// What every route handler gets: the store, browser sessions, and the sandbox's own URLs.
import type { SandboxUrls } from "./config";
import type { SessionStore } from "./sessions";
import type { SandboxStore } from "./store";

export interface Ctx {
  store: SandboxStore;
  sessions: SessionStore;
  urls: SandboxUrls;
  consoleUrl: string;
}

/** Zoho's throttle answer, shared by the token endpoint and fault injection. */
export const ACCESS_DENIED = {
  error: "Access Denied",
  error_description: "You have made too many requests continuously. Please try again after some time.",
  status: "failure",
} as const;
