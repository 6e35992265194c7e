// What a connection tag may be, shared by the forms, the server actions, the list's URL and the
// service API. Pure, so the browser can check a tag before sending it.

/** Longest tag, key and value included. */
export const TAG_MAX_LENGTH = 64;
/** Most tags one connection may carry: enough for customer, env, team and a few more. */
export const TAGS_PER_CONNECTION = 20;
/** Most tags one request may add or remove at once. */
export const TAGS_PER_CHANGE = 10;

// A plain word ("billing") or key:value ("customer:acme"): lowercase letters, digits, and . _ -
// inside; a value may also hold "/" ("team:ops/eu"). No spaces, so a tag reads the same in a URL.
const TAG = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?(?::[a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?)?$/;

export const TAG_RULE =
  "A tag is a lowercase word or key:value, such as env:prod or customer:acme: letters, digits, and . _ - inside (a value may also hold /), at most 64 characters.";

/** Lowercase and trimmed; what is stored and compared. */
export const normalizeTag = (raw: string): string => raw.trim().toLowerCase();

export function tagProblem(tag: string): string | null {
  if (tag === "") return "Enter a tag.";
  if (tag.length > TAG_MAX_LENGTH) return `"${tag.slice(0, 20)}…" is longer than ${TAG_MAX_LENGTH} characters.`;
  if (!TAG.test(tag)) return `"${tag}" is not a tag. ${TAG_RULE}`;
  return null;
}

export const isTag = (tag: string) => tagProblem(tag) === null;

/** A tag from a URL (`?tag=`): normalized, or undefined when it is not a tag. */
export function tagFromUrl(v: string | undefined | null): string | undefined {
  if (!v) return undefined;
  const tag = normalizeTag(v);
  return isTag(tag) ? tag : undefined;
}
