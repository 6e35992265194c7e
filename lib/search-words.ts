/**
 * Search-box text, as every search that becomes a SQL `like` reads it. Control characters (C0,
 * DEL, C1) count as spaces: SQLite's like stops reading its pattern at a NUL, so `%00zzzz`
 * matched every row, and PostgreSQL refuses a NUL in text outright. Pure.
 */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** The text with each control character replaced by a space, trimmed. */
export const withoutControls = (text: string): string => text.replace(CONTROL, " ").trim();

/** Lower-case words of `q`, at most `maxWords`, read from its first `maxLength` characters. */
export function searchWords(q: string, maxLength: number, maxWords: number): string[] {
  return withoutControls(q.slice(0, maxLength)).toLowerCase().split(/\s+/).filter(Boolean).slice(0, maxWords);
}
