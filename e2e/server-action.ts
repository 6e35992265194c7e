import type { APIRequestContext, Page, Request } from "@playwright/test";

export interface CapturedAction {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Captures the next server-action POST the page sends and stops it before it reaches the server,
 * so a test can replay exactly that request from another session (a direct request, as a
 * scripted attacker would send it, without the UI's hidden buttons in the way).
 */
export async function captureServerAction(page: Page, trigger: () => Promise<void>): Promise<CapturedAction> {
  let captured: Request | undefined;
  await page.route("**/*", async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"] && !captured) {
      captured = req;
      await route.abort();
      return;
    }
    await route.fallback();
  });
  await trigger();
  for (let i = 0; i < 100 && !captured; i++) await page.waitForTimeout(50);
  await page.unrouteAll({ behavior: "ignoreErrors" });
  if (!captured) throw new Error("no server action was sent");
  const headers = await captured.allHeaders();
  const keep = ["next-action", "next-router-state-tree", "content-type", "accept"];
  return {
    url: captured.url(),
    headers: Object.fromEntries(Object.entries(headers).filter(([k]) => keep.includes(k))),
    body: captured.postDataBuffer() ?? Buffer.alloc(0),
  };
}

export async function replayServerAction(request: APIRequestContext, action: CapturedAction) {
  const response = await request.post(action.url, { headers: action.headers, data: action.body });
  return { status: response.status(), text: await response.text() };
}
