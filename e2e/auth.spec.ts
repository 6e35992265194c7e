import { expect, test } from "@playwright/test";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { ADMIN, addUser, signIn, signInAs, signOut, uniqueEmail } from "./helpers";
import { captureServerAction, replayServerAction } from "./server-action";

const SIGNED_OUT = { cookies: [], origins: [] };

test.describe("signed out", () => {
  test("a dashboard page sends a signed-out visitor to sign-in and back after it", async ({ page }) => {
    await page.goto("/connections");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fconnections/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${CONSOLE_URL}/connections`);
    await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
  });

  test("a wrong password shows an error and keeps the visitor out", async ({ page }) => {
    await signIn(page, ADMIN.email, "definitely-not-the-password");
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });

  test("sign in and sign out, after which a copy of the old session cookie is worthless", async ({ page, browser }) => {
    // Signing out ends every session of the account, so use one of its own, not the shared admin.
    const email = uniqueEmail("signout");
    const admin = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
    await addUser(await admin.newPage(), "operator", email, "sign-out-password-1");
    await admin.close();

    await signInAs(page, email, "sign-out-password-1");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    const stolen = await page.context().cookies();
    await signOut(page);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login/);

    const replay = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: stolen, origins: [] } });
    const other = await replay.newPage();
    await other.goto("/settings");
    await expect(other).toHaveURL(/\/login/);
    await expect(other.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await replay.close();
  });
});

test.describe("as admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("an admin adds an operator who can then sign in", async ({ page, browser }) => {
    const email = uniqueEmail("operator");
    await addUser(page, "operator", email, "operator-password-1");
    await expect(page.getByText(`${email} was added as Operator.`)).toBeVisible();

    const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: SIGNED_OUT });
    const op = await ctx.newPage();
    await signIn(op, email, "operator-password-1");
    await expect(op.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(op.getByTestId("current-user")).toContainText(email);
    await expect(op.getByText("Operator", { exact: true })).toBeVisible();
    await ctx.close();
  });

  test("adding a user with bad input explains each field and keeps the list unchanged", async ({ page }) => {
    await page.goto("/settings/users");
    await page.getByLabel("Name").fill("<b>Mallory</b>");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Initial password").fill("long-enough-password");
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText("A user with this email already exists.")).toBeVisible();
    await page.getByLabel("Initial password").fill("short");
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  });

  test("the last active admin cannot be demoted", async ({ page }) => {
    await page.goto("/settings/users");
    await page.getByLabel(`Role of ${ADMIN.email}`).selectOption("viewer");
    // A role change asks first; Cancel puts the select back.
    const ask = page.getByRole("dialog", { name: `Make ${ADMIN.email} a viewer?` });
    await expect(ask).toContainText("From Admin to Viewer");
    await ask.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByLabel(`Role of ${ADMIN.email}`)).toHaveValue("admin");
    await page.getByLabel(`Role of ${ADMIN.email}`).selectOption("viewer");
    await ask.getByRole("button", { name: "Change role" }).click();
    await expect(page.getByText(/This is the last active admin/)).toBeVisible();
    await page.reload();
    await expect(page.getByLabel(`Role of ${ADMIN.email}`)).toHaveValue("admin");
  });

  test("a viewer cannot open user management and the server refuses its direct request", async ({ page, browser }) => {
    const viewerEmail = uniqueEmail("viewer");
    await addUser(page, "viewer", viewerEmail, "viewer-password-1");

    // Capture the admin's real "add user" request without letting it through.
    const target = uniqueEmail("smuggled");
    await page.getByLabel("Name").fill("Smuggled admin");
    await page.getByLabel("Email").fill(target);
    await page.getByLabel("Initial password").fill("smuggled-password-1");
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    const action = await captureServerAction(page, () => page.getByRole("button", { name: "Add user" }).click());

    const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: SIGNED_OUT });
    const viewer = await ctx.newPage();
    await signIn(viewer, viewerEmail, "viewer-password-1");
    await expect(viewer.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await viewer.goto("/settings");
    await expect(viewer.getByRole("link", { name: "Manage users" })).toHaveCount(0);
    await viewer.goto("/settings/users");
    await expect(viewer.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Add user" })).toHaveCount(0);

    const replay = await replayServerAction(viewer.request, action);
    expect(replay.text).toContain("Your role does not allow this action.");
    await ctx.close();

    await page.goto("/settings/users");
    await expect(page.getByTestId(`user-row-${viewerEmail}`)).toBeVisible();
    await expect(page.getByTestId(`user-row-${target}`)).toHaveCount(0);
  });

  test("repeated failed sign-ins slow the account down with a message that says how long", async ({ page, browser }) => {
    const email = uniqueEmail("slowed");
    await addUser(page, "viewer", email, "right-password-123");
    // An address of its own, so these failures do not count against the suite's.
    const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: SIGNED_OUT, extraHTTPHeaders: { "x-forwarded-for": "192.0.2.41" } });
    const p = await ctx.newPage();
    for (let i = 0; i < 4; i++) {
      await signIn(p, email, `wrong-password-${i}`);
      await expect(p.getByText("Wrong email or password.")).toBeVisible();
    }
    // The fifth failure starts the wait, and the page says how long.
    await signIn(p, email, "wrong-password-4");
    await expect(p.getByText(/Wrong email or password\. .*wait \d+ s before trying again/)).toBeVisible();
    // Not a lock: once the wait has passed, the right password lets the owner in.
    await p.waitForTimeout(1_200);
    await signInAs(p, email, "right-password-123");
    await ctx.close();
  });
  test("strangers' failed sign-ins do not keep the owner out of a browser that signed in before", async ({ page, browser }) => {
    const email = uniqueEmail("known");
    await addUser(page, "viewer", email, "owner-password-123");
    const contextAt = (ip: string) => browser.newContext({ baseURL: CONSOLE_URL, storageState: SIGNED_OUT, extraHTTPHeaders: { "x-forwarded-for": ip } });
    // The owner signs in once in their browser, which the console then remembers (an HttpOnly cookie).
    const ownerCtx = await contextAt("192.0.2.51");
    const owner = await ownerCtx.newPage();
    await signInAs(owner, email, "owner-password-123");
    const device = (await ownerCtx.cookies()).find((c) => c.name === "zoc_device");
    expect(device?.httpOnly, "known-device cookie, not readable by scripts").toBe(true);
    await signOut(owner);

    // Both the owner's browser and a new one have the right password typed in, ready to send.
    const newCtx = await contextAt("192.0.2.53");
    const fresh = await newCtx.newPage();
    for (const p of [owner, fresh]) {
      if (p === fresh) await p.goto("/login");
      await p.getByLabel("Email").fill(email);
      await p.getByLabel("Password").fill("owner-password-123");
    }

    // A stranger guesses until the account's wait reaches its cap (4 s in this suite).
    const strangerCtx = await contextAt("192.0.2.52");
    const stranger = await strangerCtx.newPage();
    for (let i = 0; i < 7; i++) {
      await signIn(stranger, email, `guess-${i}`);
      const said = stranger.getByText(/Wrong email or password\.( .*wait (\d+) s before trying again)?/);
      await expect(said).toBeVisible();
      const wait = /wait (\d+) s/.exec((await said.textContent()) ?? "");
      if (wait && i < 6) await stranger.waitForTimeout(Number(wait[1]) * 1000 + 100);
    }
    // Right after: a browser the console does not know is refused even with the right password…
    await fresh.getByRole("button", { name: "Sign in" }).click();
    await expect(fresh.getByText(/Too many failed sign-ins for this account: wait \d+ s/)).toBeVisible();
    // …while the owner's own browser signs in at once.
    await owner.getByRole("button", { name: "Sign in" }).click();
    await expect(owner.getByTestId("current-user")).toContainText(email);
    for (const c of [ownerCtx, strangerCtx, newCtx]) await c.close();
  });
});
