import { config } from "@/lib/config";
import { openApiDocument } from "@/lib/service-api/openapi";

export const dynamic = "force-dynamic";

// Public: the document describes the API, it holds nothing secret.
export function GET() {
  return Response.json(openApiDocument(config().CONSOLE_PUBLIC_URL), { headers: { "Cache-Control": "public, max-age=300" } });
}
