import { authorizeScrape } from "@/lib/metrics/access";
import { scrapeMetrics } from "@/lib/metrics/scrape";
import { NO_STORE } from "@/lib/no-store";
import { ApiError, errorResponse } from "@/lib/service-api/errors";

export const dynamic = "force-dynamic";

// Prometheus scrape endpoint: outside the session (a scraper has none), guarded by itself.
export async function GET(request: Request) {
  try {
    await authorizeScrape(request.headers);
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e);
    throw e;
  }
  const { body, contentType } = await scrapeMetrics();
  return new Response(body, { headers: { ...NO_STORE, "Content-Type": contentType } });
}
