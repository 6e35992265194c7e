import { apiRoute, connectionRowForCall } from "@/lib/service-api/handler";
import { NO_STORE } from "@/lib/no-store";
import { loadTokenSource, reportRejectedToken } from "@/lib/service-api/token";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (request, key, params) => {
  const source = await connectionRowForCall(key, params.id, "token", loadTokenSource);
  return Response.json(await reportRejectedToken(key, source, request), { headers: { ...NO_STORE, Pragma: "no-cache" } });
});
