// The live views poll the console's JSON routes; failures become one plain sentence to show
// above the last known state (the query keeps retrying on its own).
export async function getJson<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store" });
  } catch {
    throw new Error("the console did not answer. This page keeps retrying; reload it if this stays");
  }
  if (res.status === 401 || res.status === 403) {
    const message: unknown = (await res.json().catch(() => null))?.error;
    throw new Error(typeof message === "string" ? message.replace(/\.$/, "") : "your session has ended. Sign in again");
  }
  if (!res.ok) throw new Error(`the console answered HTTP ${res.status}. This page keeps retrying; reload it if this stays`);
  return (await res.json()) as T;
}
