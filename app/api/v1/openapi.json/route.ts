import { config } from "@/lib/config";
import { openApiDocument } from "@/lib/service-api/openapi";
import { STRICT_TRANSPORT_SECURITY, wantsStrictTransport } from "@/lib/strict-transport";

export const dynamic = "force-dynamic";

// Public: the document describes the API, it holds nothing secret. proxy.ts skips /api/v1/, so
// the HSTS header it adds elsewhere is set here.
export function GET() {
  const headers: Record<string, string> = { "Cache-Control": "public, max-age=300" };
  if (wantsStrictTransport()) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return Response.json(openApiDocument(config().CONSOLE_PUBLIC_URL), { headers });
}
