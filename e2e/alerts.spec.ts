// Alerts as an admin meets them: a webhook and a Slack destination added on Settings → Alerts,
// a test sent, then the sandbox (Zoho) refuses a connection's refresh token → one incident, one
// signed webhook and one Slack message; the connection is reconnected → the incident resolves
// and the resolve messages arrive. The receivers run here, on 127.0.0.1, which the console's
// CONSOLE_ALERTS_ALLOWED_HOSTS allows; webhooks are verified with the standardwebhooks package.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { DEMO_CLIENT_ID, SINGLE_USER } from "../sandbox/seed";
import { addSandboxDemoClient, completeConsent, connectSingleDeskUser, finishAtConsole, resetSandbox } from "./connect-helpers";
import { leaveConsoleEmpty } from "./clean-up";
import { ADMIN_STATE, SANDBOX_URL } from "./env";

test.use({ storageState: ADMIN_STATE });

const made: { clientRef?: number; connectionId?: number; destinations: string[] } = { destinations: [] };

interface Received {
  headers: Record<string, string>;
  body: string;
}

async function receiver() {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function addDestination(page: Page, o: { name: string; kind: "webhook" | "slack"; url: string; connectionId: number }) {
  await page.goto("/settings/alerts");
  await page.getByLabel("Name", { exact: true }).fill(o.name);
  await page.getByLabel("Kind", { exact: true }).selectOption(o.kind);
  await page.getByLabel("URL", { exact: true }).fill(o.url);
  // Only this connection's events: other specs' connections keep failing in the background.
  await page.getByLabel("Connection", { exact: true }).selectOption(String(o.connectionId));
  await page.getByRole("button", { name: "Add destination" }).click();
  made.destinations.push(o.name);
}

test("a broken connection alerts once per destination, and its reconnect resolves the incident", async ({ page, request }) => {
  test.setTimeout(120_000);
  const hook = await receiver();
  const slack = await receiver();
  try {
    await resetSandbox(request);
    const clientRef = (made.clientRef = await addSandboxDemoClient(page));
    const name = `alerted-${Date.now()}`;
    const { connectionId } = await connectSingleDeskUser(page, clientRef, name);
    made.connectionId = connectionId;

    await addDestination(page, { name: `hook for ${name}`, kind: "webhook", url: `${hook.url}/zoho`, connectionId });
    const secretField = page.getByLabel("Signing secret");
    await expect(secretField).toHaveValue(/^whsec_/);
    const secret = await secretField.inputValue();
    await expect(page.getByText("Store it now: it is not shown again.")).toBeVisible();
    await addDestination(page, { name: `slack for ${name}`, kind: "slack", url: `${slack.url}/services/T0/B0/x`, connectionId });
    const rows = page.getByTestId(/^alert-destination-row-/);
    await expect(rows.filter({ hasText: `hook for ${name}` })).toContainText("127.0.0.1");
    // Only scheme and host are ever shown: the rest of a Slack URL is a credential.
    await expect(page.getByText("/services/T0/B0/x")).toHaveCount(0);

    await page.getByRole("link", { name: `hook for ${name}` }).click();
    await page.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByTestId("send-test-result")).toContainText("Delivered.");
    await expect(page.getByTestId("send-test-result")).toContainText("200");
    const verified = () => hook.got.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: { incident?: { transition: string } } });
    expect(verified().map((e) => e.type)).toEqual(["test"]);

    // Zoho refuses the refresh token: the grant was removed on Zoho's side.
    await request.post(`${SANDBOX_URL}/_sandbox/revoke-grants`, { data: { email: SINGLE_USER.email, clientId: DEMO_CLIENT_ID } });
    await page.goto(`/connections/${connectionId}`);
    await page.getByRole("button", { name: "Refresh now" }).click();
    await expect(page.getByTestId("connection-status")).toHaveAttribute("data-status", "needs_reauth");
    await expect.poll(() => verified().map((e) => e.type), { timeout: 15_000 }).toEqual(["test", "connection.refresh_failed"]);
    expect(verified()[1].data.incident?.transition).toBe("opened");
    await expect.poll(() => slack.got.length, { timeout: 15_000 }).toBe(1);
    expect(JSON.parse(slack.got[0].body).text).toContain(name);

    await page.goto("/incidents");
    const open = page.locator("[id^=incident-]").filter({ hasText: name });
    await expect(open).toContainText("Terminal");
    await page.goto("/");
    await expect(page.getByTestId("open-incidents-banner")).toBeVisible();

    // The delivery log shows both webhooks delivered.
    await page.goto("/settings/alerts");
    await page.getByRole("link", { name: `hook for ${name}` }).click();
    const log = page.getByTestId(/^delivery-row-/);
    await expect(log.filter({ hasText: "connection.refresh_failed" })).toContainText("200");
    await expect(log.filter({ hasText: "test" }).first()).toBeVisible();

    // Reconnected in place: the incident resolves, and the resolve messages arrive.
    await page.goto(`/connections/${connectionId}/reconnect`);
    await page.getByRole("button", { name: "Reconnect in Zoho" }).click();
    await completeConsent(page, { email: SINGLE_USER.email });
    expect((await finishAtConsole(page, {})).connectionId).toBe(connectionId);
    await expect.poll(() => verified().map((e) => e.type), { timeout: 15_000 }).toEqual(["test", "connection.refresh_failed", "connection.reauthorized"]);
    expect(verified()[2].data.incident?.transition).toBe("resolved");
    await expect.poll(() => slack.got.length, { timeout: 15_000 }).toBe(2);
    await page.goto("/incidents");
    await expect(page.locator("[id^=incident-]").filter({ hasText: name })).toContainText(/reconnect|reauthori/i);
  } finally {
    await hook.close();
    await slack.close();
  }
});

test.afterAll(async ({ browser }) => {
  // Leave the console as later specs expect it: no client, no connection, no destination.
  await leaveConsoleEmpty(browser, {
    destinations: made.destinations,
    connectionIds: made.connectionId ? [made.connectionId] : [],
    clientRefs: made.clientRef ? [made.clientRef] : [],
  });
});

