/**
 * Plain SQL against the console's database for tests that must look under the data layer (a
 * trigger, a stored ciphertext, a column's raw form), on either engine. The SQL is the engine's
 * own: pass both texts where they differ, and placeholders as `?` (turned into $1, $2 … on
 * PostgreSQL).
 */
import { database } from "@/db/client";
import { testEngine } from "./engine";

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

type Text = string | { sqlite: string; postgres: string };
const pick = (text: Text) => (typeof text === "string" ? text : text[testEngine]);

export async function rawQuery<R = Record<string, unknown>>(text: Text, params: unknown[] = []): Promise<R[]> {
  const sql = pick(text);
  return database().query<R>(testEngine === "postgres" ? numbered(sql) : sql, params);
}

export async function rawExec(text: Text, params: unknown[] = []): Promise<void> {
  await rawQuery(text, params);
}
