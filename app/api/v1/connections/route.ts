import { apiRoute, countListCall } from "@/lib/service-api/handler";
import { requirePermission } from "@/lib/service-api/auth";
import { listConnectionsForKey } from "@/lib/service-api/connections";
import { NO_STORE } from "@/lib/no-store";
import { listQuery } from "@/lib/service-api/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute<Record<string, never>>(async (request, key) => {
  await requirePermission(key, "read");
  const query = listQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  countListCall(key);
  return Response.json(await listConnectionsForKey(key, query.limit, query.after, query.tag), { headers: NO_STORE });
});
