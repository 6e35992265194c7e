import { apiConnectionRoute } from "@/lib/service-api/handler";
import { connectionForKey } from "@/lib/service-api/connections";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

export const GET = apiConnectionRoute("read", async (_request, _key, source) => {
  return Response.json(await connectionForKey(source.id), { headers: NO_STORE });
});
