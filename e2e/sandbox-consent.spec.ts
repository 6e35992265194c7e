// Walks the sandbox's consent screens in Chromium: sign-in, the Assist organisation chooser,
// Deny and Accept. The callback is intercepted, so this spec depends on the sandbox alone.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CLIENT_ID, EU_USER, MULTI_USER, SEED_PASSWORD, SINGLE_USER } from "../sandbox/seed";
import { routeConsentRedirect } from "./connect-helpers";
import { CONSOLE_URL, SANDBOX_URL } from "./env";

const REDIRECT_URI = `${CONSOLE_URL}/api/oauth/callback`;

function authUrl(scope: string, state: string, dc = "us"): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: DEMO_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope,
    access_type: "offline",
    prompt: "consent",
    state,
  });
  return `${SANDBOX_URL}/${dc}/accounts/oauth/v2/auth?${q}`;
}

async function signIn(page: Page, email: string, password = SEED_PASSWORD): Promise<void> {
  await expect(page.getByRole("heading", { name: "Sign in to Zoho (sandbox)" })).toBeVisible();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Resolves with the callback URL the browser was sent to. */
function waitForCallback(page: Page): Promise<URL> {
  return page.waitForURL((url) => url.href.startsWith(REDIRECT_URI)).then(() => new URL(page.url()));
}

test.describe("sandbox consent", () => {
  test.beforeEach(async ({ page, request }) => {
    const reset = await request.post(`${SANDBOX_URL}/_sandbox/reset`);
    expect(reset.ok()).toBe(true);
    // Answer the console's callback here so the spec does not depend on the console.
    await page.route(
      (url) => url.href.startsWith(REDIRECT_URI),
      (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Callback reached</h1>" }),
    );
    // The sandbox's 302 to the callback is replayed as a plain navigation, which the route above answers.
    await routeConsentRedirect(page, REDIRECT_URI, (location) => `<script>location.replace(${JSON.stringify(location)})</script>`);
  });

  test("sign-in, organisation chooser, then Deny returns access_denied", async ({ page }) => {
    await page.goto(authUrl("ZohoAssist.userapi.READ", "deny-state"));
    await signIn(page, MULTI_USER.email, "not-the-password");
    await expect(page.getByRole("alert")).toContainText("Invalid email address or password");
    await page.getByLabel("Password").fill(SEED_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page.getByRole("heading", { name: "Choose an organisation" })).toBeVisible();
    for (const env of ["Production", "Sandbox", "Developer"]) {
      await expect(page.getByRole("group", { name: env })).toBeVisible();
    }
    await page.getByLabel("Zylker Assist Developer").check();
    await page.getByRole("button", { name: "Submit" }).click();

    await expect(page.getByRole("heading", { name: /would like to access your Zoho account/ })).toBeVisible();
    await expect(page.getByText("Organisation: Zylker Assist Developer (Developer)")).toBeVisible();
    await expect(page.getByText("ZohoAssist.userapi.READ")).toBeVisible();
    const callback = waitForCallback(page);
    await page.getByRole("button", { name: "Deny" }).click();
    const url = await callback;
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("state")).toBe("deny-state");
    expect(url.searchParams.has("code")).toBe(false);
  });

  test("Accept returns code, location and accounts-server, and the code buys tokens", async ({ page, request }) => {
    await page.goto(authUrl("ZohoAssist.userapi.READ,Desk.basic.READ", "accept-state"));
    await signIn(page, MULTI_USER.email);
    await page.getByLabel("Zylker Assist Sandbox").check();
    await page.getByRole("button", { name: "Submit" }).click();
    const callback = waitForCallback(page);
    await page.getByRole("button", { name: "Accept" }).click();
    const url = await callback;
    await expect(page.getByRole("heading", { name: "Callback reached" })).toBeVisible();
    expect(url.searchParams.get("state")).toBe("accept-state");
    expect(url.searchParams.get("code")).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    expect(url.searchParams.get("location")).toBe("us");
    expect(url.searchParams.get("accounts-server")).toBe(`${SANDBOX_URL}/us/accounts`);

    const secret = (await (await request.get(`${SANDBOX_URL}/_sandbox/clients/${DEMO_CLIENT_ID}`)).json()).clientSecret;
    const token = await request.post(`${SANDBOX_URL}/us/accounts/oauth/v2/token`, {
      form: {
        grant_type: "authorization_code",
        code: url.searchParams.get("code")!,
        client_id: DEMO_CLIENT_ID,
        client_secret: secret,
        redirect_uri: REDIRECT_URI,
      },
    });
    const body = await token.json();
    expect(body.refresh_token).toBeTruthy();
    const me = await request.get(`${SANDBOX_URL}/us/assist/api/v2/user`, {
      headers: { authorization: `Zoho-oauthtoken ${body.access_token}` },
    });
    expect((await me.json()).representation.org_details.org_name).toBe("Zylker Assist Sandbox");
  });

  test("a user with one Assist org goes straight to the consent page", async ({ page }) => {
    await page.goto(authUrl("ZohoAssist.userapi.READ", "single"));
    await signIn(page, SINGLE_USER.email);
    await expect(page.getByRole("heading", { name: /would like to access your Zoho account/ })).toBeVisible();
    await expect(page.getByText("Organisation: Ben's Bakery Assist (Production)")).toBeVisible();
  });

  test("an eu account that starts at us finishes on the eu accounts server", async ({ page }) => {
    await page.goto(authUrl("Desk.basic.READ", "eu-state"));
    await signIn(page, EU_USER.email);
    await expect(page).toHaveURL(new RegExp(`^${SANDBOX_URL.replace(/\./g, "\\.")}/eu/accounts/oauth/v2/auth`));
    const callback = waitForCallback(page);
    await page.getByRole("button", { name: "Accept" }).click();
    const url = await callback;
    expect(url.searchParams.get("location")).toBe("eu");
    expect(url.searchParams.get("accounts-server")).toBe(`${SANDBOX_URL}/eu/accounts`);
  });

  test("a wrong redirect URI is shown on the page, not redirected", async ({ page }) => {
    const bad = authUrl("Desk.basic.READ", "x").replace(encodeURIComponent(REDIRECT_URI), encodeURIComponent("https://evil.example/cb"));
    await page.goto(bad);
    await expect(page.getByText("ERROR_invalid_redirect_uri")).toBeVisible();
    expect(page.url().startsWith(SANDBOX_URL)).toBe(true);
  });

  test("a scope Zoho does not document is refused on the page with ERROR_invalid_scope", async ({ page }) => {
    // Desk's search resource has READ only, and SalesIQ portals cannot be deleted.
    for (const scope of ["Desk.search.DELETE", "SalesIQ.portals.DELETE"]) {
      await page.goto(authUrl(`Desk.basic.READ,${scope}`, "scope-state"));
      await expect(page.getByText("ERROR_invalid_scope")).toBeVisible();
      expect(page.url().startsWith(SANDBOX_URL)).toBe(true);
    }
  });
});
