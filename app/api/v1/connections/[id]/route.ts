import { apiRoute, connectionIdForCall } from "@/lib/service-api/handler";
import { connectionForKey } from "@/lib/service-api/connections";
import { NO_STORE } from "@/lib/no-store";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async (_request, key, params) => {
  const id = await connectionIdForCall(key, params.id, "read");
  return Response.json(await connectionForKey(id), { headers: NO_STORE });
});
