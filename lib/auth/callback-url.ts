/**
 * Where to go after sign-in: `callbackUrl` comes from the address bar, so it is hostile until
 * resolved against the console's own origin. Anything that leaves the origin, would read as a
 * protocol-relative URL (`//host`) once normalised, or carries control characters falls back to
 * the overview. Pure, so it is unit-tested directly.
 */
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_LENGTH = 512;

export function safeCallbackPath(value: unknown, origin: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH || CONTROL.test(value)) return "/";
  // Only paths: an absolute URL, even to this origin, has no business in a callback.
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  const path = url.pathname;
  if (path.startsWith("//") || path.startsWith("/\\") || path.includes("\\")) return "/";
  return `${path}${url.search}${url.hash}`;
}
