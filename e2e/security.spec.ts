// Attacks that once worked, each kept out by a test that failed before its fix.
import { expect, test } from "@playwright/test";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { ADMIN, addUser, uniqueEmail } from "./helpers";

test.describe("sign-in never sends the browser to another site", () => {
  for (const callback of ["%2F..%2F%2Fevil.example%2Fphish", "%2F%09%2Fevil.example%2Fphish", "%2F.%2F%2Fevil.example%2Fphish", "%2Fconnections%0A%2F%2Fevil.example"]) {
    test(`callbackUrl=${callback}`, async ({ page }) => {
      const visited: string[] = [];
      page.on("request", (r) => visited.push(new URL(r.url()).host));
      await page.goto(`/login?callbackUrl=${callback}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("current-user")).toContainText(ADMIN.email);
      expect(new URL(page.url()).host).toMatch(/^localhost:\d+$/);
      expect(visited.filter((h) => h.includes("evil"))).toEqual([]);
    });
  }

  test("a same-site callback is still followed", async ({ page }) => {
    await page.goto("/login?callbackUrl=%2Fclients");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/clients$/);
  });
});

test("signing out through POST /api/auth/signout ends the session on the server", async ({ browser }) => {
  // Its own user: signing out ends every session of that user, and the suite's admin must stay.
  const email = uniqueEmail("signout");
  const admin = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
  await addUser(await admin.newPage(), "operator", email, "a long enough password");
  await admin.close();
  const context = await browser.newContext({ baseURL: CONSOLE_URL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(email);
  const copied = (await context.cookies()).filter((c) => c.name.includes("session-token"));
  expect(copied).toHaveLength(1);

  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const out = await page.request.post("/api/auth/signout", { form: { csrfToken }, maxRedirects: 0 });
  expect(out.status()).toBeLessThan(400);

  // The copied token is worth nothing now, in a fresh browser as in a script.
  const thief = await browser.newContext({ baseURL: CONSOLE_URL });
  await thief.addCookies(copied);
  const session = await thief.request.get("/api/auth/session");
  expect(await session.json()).toBeNull();
  const stolen = await thief.newPage();
  await stolen.goto("/connections");
  await expect(stolen).toHaveURL(/\/login/);
  await thief.close();
  await context.close();
});

test("pages run only scripts carrying the request's nonce", async ({ page }) => {
  const response = await page.goto("/login");
  const csp = response!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // A new request gets a new nonce.
  const again = await page.request.get("/login");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce!);

  // As if escaping had failed: the server's HTML carries a script without the nonce. It must not
  // run, while Next.js's own scripts (with the nonce) still do, so the page still works.
  await page.route("**/login", async (route) => {
    const real = await route.fetch();
    const html = (await real.text()).replace("</body>", "<script>window.__injected = true</script></body>");
    await route.fulfill({ response: real, body: html });
  });
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
  });
  await page.goto("/login");
  await expect(page.getByLabel("Email")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await expect.poll(() => blocked.length).toBeGreaterThan(0);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(ADMIN.email);
});
