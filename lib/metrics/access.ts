import "server-only";
import { noteRequest } from "@/lib/log";
import { isLoopbackRequest } from "@/lib/peer-address";
import { clientIp } from "@/lib/request-ip";
import { admitKey, requirePermission } from "@/lib/service-api/auth";
import { ApiError } from "@/lib/service-api/errors";

/**
 * Who may scrape /api/metrics: an API key with the metrics permission, or, without a key, a
 * scraper on the console's own host. A key that is sent is always checked, also from loopback.
 */
export async function authorizeScrape(headers: Headers): Promise<void> {
  const authorization = headers.get("authorization");
  if (authorization === null) {
    if (isLoopbackRequest(headers)) return;
    throw new ApiError(
      "unauthorized",
      "Metrics are served to the console's own host, or with an API key that may read metrics: send it as `Authorization: Bearer zoc_…`.",
    );
  }
  const { key, rate } = await admitKey(authorization, clientIp(headers), null);
  noteRequest({ keyPrefix: key.prefix });
  await requirePermission(key, "metrics");
  if (!rate.allowed) throw new ApiError("throttled", `This API key is limited to ${key.rateLimitPerMinute} calls a minute. Try again in ${rate.retryAfterSec} s.`, rate.retryAfterSec);
}
