import { apiRoute, useConnection } from "@/lib/service-api/handler";
import { connectionForKey } from "@/lib/service-api/connections";
import { NO_STORE } from "@/lib/service-api/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async (_request, key, params) => {
  const id = await useConnection(key, params.id, "read");
  return Response.json(await connectionForKey(id), { headers: NO_STORE });
});
