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

// Next.js answered these with a 500 and a stack trace on stderr (lib/http-front.ts says why it
// cannot itself); docs assets looked names up on a plain object, so inherited ones were "found".
test("TRACE, an undecodable path, a cross-site server action and inherited asset names get a 4xx", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: CONSOLE_URL });
  const signedIn = await playwright.request.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
  try {
    for (const path of ["/", "/api/v1/connections"]) {
      const trace = await anonymous.fetch(path, { method: "TRACE" });
      expect(trace.status(), path).toBe(405);
      expect(await trace.json()).toEqual({ error: { code: "method_not_allowed", message: "TRACE is not supported." } });
    }
    for (const path of ["/connections/%E0%A4%A", "/api/v1/connections/%E0%A4%A"]) {
      expect((await signedIn.get(path, { maxRedirects: 0 })).status(), path).toBe(400);
    }
    const action = { "Next-Action": "00aa", "Content-Type": "text/plain;charset=UTF-8" };
    const crossSite = await signedIn.post("/connections", { headers: { ...action, Origin: "http://evil.example" }, data: "[]", maxRedirects: 0 });
    expect(crossSite.status()).toBe(403);
    expect((await crossSite.json()).error.code).toBe("forbidden");
    // The same post from the console's own origin reaches Next (which knows no such action).
    const own = await signedIn.post("/connections", { headers: { ...action, Origin: CONSOLE_URL }, data: "[]", maxRedirects: 0 });
    expect(own.status()).not.toBe(403);
    for (const file of ["__proto__", "constructor", "toString"]) {
      expect((await signedIn.get(`/docs/api/assets/${file}`, { maxRedirects: 0 })).status(), file).toBe(404);
    }
  } finally {
    await anonymous.dispose();
    await signedIn.dispose();
  }
});
