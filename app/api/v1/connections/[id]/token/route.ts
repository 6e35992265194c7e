import { apiConnectionRoute } from "@/lib/service-api/handler";
import { NO_STORE } from "@/lib/no-store";
import { tokenQuery } from "@/lib/service-api/schemas";
import { tokenForKey } from "@/lib/service-api/token";

export const dynamic = "force-dynamic";

export const GET = apiConnectionRoute("token", async (request, key, source) => {
  const { min_validity } = tokenQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await tokenForKey(key, source, min_validity), { headers: { ...NO_STORE, Pragma: "no-cache" } });
});
