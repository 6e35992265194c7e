import { apiConnectionRoute } from "@/lib/service-api/handler";
import { ApiError } from "@/lib/service-api/errors";
import { proxyCall } from "@/lib/service-api/proxy";

export const dynamic = "force-dynamic";

type Params = { id: string; service: string; path: string[] };

/** The path exactly as sent (still percent-encoded), after `/proxy/{service}/`. */
function rawPathOf(request: Request, params: Params): string {
  const pathname = new URL(request.url).pathname;
  const marker = `/proxy/${params.service}/`;
  const at = pathname.indexOf(marker);
  if (at < 0) throw new ApiError("bad_request", "Name the Zoho API path after the service, e.g. /proxy/desk/api/v1/tickets.");
  return pathname.slice(at + marker.length);
}

const handle = apiConnectionRoute<Params>("proxy", async (request, key, source, params) => {
  return proxyCall(request, key, source, params.service, rawPathOf(request, params));
});

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as HEAD };
