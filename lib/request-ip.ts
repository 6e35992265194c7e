// The first address of X-Forwarded-For when a proxy sets it, else X-Real-IP; null when unknown.
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim() || null;
  return ip && ip.length <= 64 ? ip : null;
}
