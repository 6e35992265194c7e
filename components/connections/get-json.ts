// The live views poll the console's JSON routes; failures become one plain sentence to show
// above the last known state (the query keeps retrying on its own). Answers are kept with their
// ETag, so an unchanged poll is a 304 with no body and no re-render.
// It stays under TanStack Query: the routes answer `Cache-Control: no-store` (signed-in data stays
// out of the browser's cache), so only this map can send If-None-Match and turn a poll into a 304.
const cache = new Map<string, { etag: string; data: unknown }>();

export async function getJson<T>(url: string): Promise<T> {
  const cached = cache.get(url);
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store", headers: cached ? { "If-None-Match": cached.etag } : undefined });
  } catch {
    throw new Error("the console did not answer. This page keeps retrying; reload it if this stays");
  }
  if (res.status === 304 && cached) return cached.data as T;
  if (res.status === 401 || res.status === 403) {
    const message: unknown = (await res.json().catch(() => null))?.error;
    throw new Error(typeof message === "string" ? message.replace(/\.$/, "") : "your session has ended. Sign in again");
  }
  if (!res.ok) throw new Error(`the console answered HTTP ${res.status}. This page keeps retrying; reload it if this stays`);
  const data = (await res.json()) as T;
  const etag = res.headers.get("etag");
  if (etag) {
    if (cache.size > 50) cache.clear();
    cache.set(url, { etag, data });
  }
  return data;
}
