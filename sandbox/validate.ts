// Small input checkers for the admin API and the developer console. They throw InputError,
// which the callers turn into a 400 or a form message.
import { DCS, isDc, type Dc } from "./config";

export class InputError extends Error {}

export function optString(body: Record<string, unknown>, key: string, max = 500): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new InputError(`${key} must be a string`);
  if (v.length > max) throw new InputError(`${key} is longer than ${max} characters`);
  return v.trim();
}

export function reqString(body: Record<string, unknown>, key: string, max = 500): string {
  const v = optString(body, key, max);
  if (!v) throw new InputError(`${key} is required`);
  return v;
}

export function optStringList(body: Record<string, unknown>, key: string, max = 50): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  const list = typeof v === "string" ? v.split(/[,\n]/) : v;
  if (!Array.isArray(list) || list.length > max || !list.every((s) => typeof s === "string" && s.length <= 2000)) {
    throw new InputError(`${key} must be a list of at most ${max} strings`);
  }
  return (list as string[]).map((s) => s.trim()).filter(Boolean);
}

export function optDc(body: Record<string, unknown>, key: string): Dc | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!isDc(v)) throw new InputError(`${key} must be one of ${DCS.join(", ")}`);
  return v;
}

export function optDcList(body: Record<string, unknown>, key: string): Dc[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (v === "all") return [...DCS];
  if (!Array.isArray(v) || !v.every(isDc)) throw new InputError(`${key} must be "all" or a list of data centres`);
  return [...new Set(v as Dc[])];
}

export function optNumber(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw new InputError(`${key} must be a number between ${min} and ${max}`);
  }
  return v;
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

export function asObject(value: unknown, key: string): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(`${key} must be an object`);
  return value as Record<string, unknown>;
}
