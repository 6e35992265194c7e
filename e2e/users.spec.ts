import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { ADMIN, addUser, signIn, signInAs, uniqueEmail } from "./helpers";

// Each test makes its own users; the suite's admin only manages them (it is never signed out,
// locked or deleted). Sign-in failures come from addresses of their own (X-Forwarded-For, one
// trusted hop in the e2e console), so they never count against the suite's address.

const SIGNED_OUT = { cookies: [], origins: [] };
// Every visitor its own address: a /24 per run (a retry gets another), one address per call, so
// an address locked by one test is never drawn again by a later one.
const RUN_NET = `10.77.${Math.floor(Math.random() * 250) + 1}`;
let lastHost = 0;
const addr = () => `${RUN_NET}.${++lastHost}`;

async function visitor(browser: Browser, ip = addr()): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: SIGNED_OUT, extraHTTPHeaders: { "x-forwarded-for": ip } });
  return ctx.newPage();
}

/** Tries a sign-in that fails; returns the message and the wait it names, in seconds (0: none). */
async function failedSignIn(p: Page, email: string, password: string): Promise<{ text: string; wait: number }> {
  await signIn(p, email, password);
  const alert = p.locator('form [role="alert"]');
  await expect(alert).toBeVisible();
  const text = (await alert.textContent()) ?? "";
  return { text, wait: Number(/wait (\d+) s/.exec(text)?.[1] ?? 0) };
}

const row = (page: Page, email: string) => page.getByTestId(`user-row-${email}`);

test.describe("users management", () => {
  test.use({ storageState: ADMIN_STATE });

  test("ten wrong passwords slow an admin's account down but never lock it; the attacker's address is locked", async ({ page, browser }) => {
    test.setTimeout(150_000);
    const email = uniqueEmail("guarded-admin");
    await addUser(page, "admin", email, "guarded-password-1");

    const attacker = await visitor(browser);
    const waits: number[] = [];
    for (let failures = 0; failures < 10; ) {
      const { text, wait } = await failedSignIn(attacker, email, `guess-${failures}-password`);
      if (text.startsWith("Wrong email or password")) failures++;
      else expect(text).toMatch(/Too many failed sign-ins for this account: wait \d+ s/); // asked too early: not counted
      if (wait) waits.push(wait);
      await attacker.waitForTimeout(wait * 1000 + 100);
    }
    // The wait grows, but is bounded by the cap (4 s in the e2e console), never a lock.
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(4);

    // The owner, from another address, is let in (at most after the short wait).
    const owner = await visitor(browser, "203.0.113.77");
    await signIn(owner, email, "guarded-password-1");
    const shown = owner.locator('form [role="alert"]');
    // Either it is let in at once, or told to wait (briefly) first: wait for the answer before branching.
    await expect(owner.getByTestId("current-user").or(shown)).toBeVisible();
    if (await shown.isVisible()) {
      const wait = Number(/wait (\d+) s/.exec((await shown.textContent()) ?? "")?.[1] ?? 0);
      expect(wait).toBeLessThanOrEqual(4);
      await owner.waitForTimeout(wait * 1000 + 100);
      await signIn(owner, email, "guarded-password-1");
    }
    await expect(owner.getByTestId("current-user")).toContainText(email);

    // The attacker's address keeps failing (other accounts too) until the address is locked.
    let locked = "";
    for (let i = 0; i < 25 && !locked; i++) {
      const { text } = await failedSignIn(attacker, uniqueEmail("sprayed"), "spray-password-1");
      if (/from your network address/.test(text)) locked = text;
    }
    expect(locked).toMatch(/Sign-in from it is locked for \d+ minutes?/);
    // Locked means locked: even the right password is refused from there…
    const { text } = await failedSignIn(attacker, email, "guarded-password-1");
    expect(text).toMatch(/from your network address/);
    // …while the owner's own address is untouched.
    const again = await visitor(browser, "203.0.113.78");
    await signInAs(again, email, "guarded-password-1");
  });

  test("an admin sees an account's failed sign-ins and its wait, and unlocks it", async ({ page, browser }) => {
    test.setTimeout(90_000);
    const email = uniqueEmail("unlock-me");
    await addUser(page, "viewer", email, "unlock-password-1");
    const p = await visitor(browser);
    let last = { text: "", wait: 0 };
    for (let failures = 0; failures < 7; ) {
      last = await failedSignIn(p, email, `nope-${failures}-password`);
      if (last.text.startsWith("Wrong email or password")) failures++;
      if (failures < 7) await p.waitForTimeout(last.wait * 1000 + 100);
    }
    expect(last.wait).toBeGreaterThan(0);

    await page.goto("/settings/users");
    await expect(row(page, email)).toContainText(/7 failed/);
    await row(page, email).getByRole("button", { name: `Unlock sign-in of ${email}` }).click();
    await expect(page.getByText(`Sign-in of ${email} is no longer delayed.`)).toBeVisible();
    await page.reload();
    await expect(row(page, email)).not.toContainText("failed");
    await expect(row(page, email).getByRole("button", { name: /Unlock/ })).toHaveCount(0);
    // The count starts again: the next wrong password is just wrong, with no wait.
    expect((await failedSignIn(p, email, "still-wrong-password")).text).toBe("Wrong email or password.");
    await signInAs(p, email, "unlock-password-1");

    // The unlock is in the audit trail, by the admin.
    await page.goto("/audit?action=user.unlock");
    await expect(page.getByTestId("audit-row").first()).toContainText(ADMIN.email);
  });

  test("disabling a user sends their open session to sign-in", async ({ page, browser }) => {
    const email = uniqueEmail("disable-me");
    await addUser(page, "operator", email, "disable-password-1");
    const them = await visitor(browser);
    await signInAs(them, email, "disable-password-1");

    await page.goto("/settings/users");
    await row(page, email).getByRole("button", { name: "Disable", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable user" }).click();
    await expect(page.getByText(`${email} was disabled.`)).toBeVisible();
    await expect(row(page, email)).toContainText("Disabled");

    await them.goto("/connections");
    await expect(them).toHaveURL(/\/login/);
    expect((await failedSignIn(them, email, "disable-password-1")).text).toMatch(/disabled/);
  });

  test("delete asks first, is not offered on one's own row, and removes a user for good", async ({ page, browser }) => {
    const email = uniqueEmail("delete-me");
    await addUser(page, "viewer", email, "delete-password-1");
    const them = await visitor(browser);
    await signInAs(them, email, "delete-password-1");

    await page.goto("/settings/users");
    // The admin's own row offers no delete (the server refuses it too), as it offers no disable.
    await expect(row(page, ADMIN.email).getByRole("button", { name: "Delete", exact: true })).toBeDisabled();
    await expect(row(page, ADMIN.email).getByRole("button", { name: "Disable", exact: true })).toBeDisabled();

    // Cancel keeps the user; confirming deletes them.
    await row(page, email).getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await expect(row(page, email)).toBeVisible();
    await row(page, email).getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete user" }).click();
    await expect(page.getByText(`${email} was deleted.`)).toBeVisible();
    await expect(row(page, email)).toHaveCount(0);

    await them.goto("/connections");
    await expect(them).toHaveURL(/\/login/);
    expect((await failedSignIn(them, email, "delete-password-1")).text).toBe("Wrong email or password.");
  });

  test("an admin resets a password: the old sessions end and the one-time password signs in", async ({ page, browser }) => {
    const email = uniqueEmail("reset-me");
    await addUser(page, "operator", email, "reset-password-01");
    const them = await visitor(browser);
    await signInAs(them, email, "reset-password-01");

    await page.goto("/settings/users");
    await row(page, email).getByRole("button", { name: `Reset password of ${email}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("New password").fill("short");
    await dialog.getByRole("button", { name: "Reset password" }).click();
    await expect(dialog.getByText("Use at least 12 characters")).toBeVisible();
    await dialog.getByLabel("New password").fill("");
    await dialog.getByRole("button", { name: "Reset password" }).click();
    const oneTime = (await dialog.getByTestId("one-time-password").textContent())?.trim() ?? "";
    expect(oneTime).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    await them.goto("/connections");
    await expect(them).toHaveURL(/\/login/);
    expect((await failedSignIn(them, email, "reset-password-01")).text).toMatch(/^Wrong email or password/);
    await signInAs(them, email, oneTime);

    // Audited without the password.
    await page.goto("/audit?action=user.reset_password");
    await expect(page.getByTestId("audit-row").first()).toContainText(ADMIN.email);
    await expect(page.locator("body")).not.toContainText(oneTime);
  });

  test("everyone changes their own password from the user menu; their other sessions end", async ({ browser }) => {
    const admin = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
    const email = uniqueEmail("self-change");
    await addUser(await admin.newPage(), "viewer", email, "first-password-12");
    await admin.close();

    const me = await visitor(browser);
    await signInAs(me, email, "first-password-12");
    const elsewhere = await visitor(browser);
    await signInAs(elsewhere, email, "first-password-12");

    await me.getByTestId("current-user").click();
    await expect(me.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await me.getByLabel("Current password").fill("not-my-password");
    await me.getByLabel("New password", { exact: true }).fill("second-password-34");
    await me.getByLabel("Repeat the new password").fill("second-password-34");
    // The answer is fetched through a route: the page may stop reading the action's stream once it
    // has the result, and Chromium then keeps no body to inspect (net::ERR_ABORTED).
    let answer: string | undefined;
    await me.route("**/account", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      const response = await route.fetch();
      answer = await response.text();
      await route.fulfill({ response, body: answer });
    });
    await me.getByRole("button", { name: "Change password" }).click();
    await expect(me.getByText("The current password is not right.")).toBeVisible();
    await me.unroute("**/account");
    // The refusal hands back what was typed, but never a password.
    expect(answer).toContain("The current password is not right.");
    expect(answer).not.toContain("not-my-password");

    await me.getByLabel("Current password").fill("first-password-12");
    await me.getByLabel("New password", { exact: true }).fill("second-password-34");
    await me.getByLabel("Repeat the new password").fill("second-password-34");
    await me.getByRole("button", { name: "Change password" }).click();
    await expect(me.getByText("Your password was changed. Your other sessions have ended.")).toBeVisible();
    // This browser stays signed in; the other session does not.
    await me.goto("/connections");
    await expect(me.getByTestId("current-user")).toContainText(email);
    await elsewhere.goto("/connections");
    await expect(elsewhere).toHaveURL(/\/login/);
    expect((await failedSignIn(elsewhere, email, "first-password-12")).text).toMatch(/^Wrong email or password/);
    await signInAs(elsewhere, email, "second-password-34");
  });
});
