import { apiConnectionRoute } from "@/lib/service-api/handler";
import { NO_STORE } from "@/lib/no-store";
import { reportRejectedToken } from "@/lib/service-api/token";

export const dynamic = "force-dynamic";

export const POST = apiConnectionRoute("token", async (request, key, source) => {
  return Response.json(await reportRejectedToken(key, source, request), { headers: { ...NO_STORE, Pragma: "no-cache" } });
});
