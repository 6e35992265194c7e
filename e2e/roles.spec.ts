// What each role may open: refused pages answer HTTP 403, and missing buttons say why.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { addSandboxDemoClient, connectSingleDeskUser, resetSandbox } from "./connect-helpers";
import { ADMIN_STATE, CONSOLE_URL } from "./env";
import { addUser, signInAs, uniqueEmail } from "./helpers";

test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const PASSWORD = "roles-password-123";
const people = { viewer: uniqueEmail("roles-viewer"), operator: uniqueEmail("roles-operator") };
let connectionId: number;
let clientRef: number;

async function signedInAs(browser: Browser, email: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  const page = await ctx.newPage();
  await signInAs(page, email, PASSWORD);
  return page;
}

test.beforeAll(async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE });
  const page = await ctx.newPage();
  await resetSandbox(page.request);
  clientRef = await addSandboxDemoClient(page);
  ({ connectionId } = await connectSingleDeskUser(page, clientRef, `roles-${Date.now()}`));
  await addUser(page, "viewer", people.viewer, PASSWORD);
  await addUser(page, "operator", people.operator, PASSWORD);
  await ctx.close();
});

test("pages a role may not open answer 403 with the no-access page", async ({ browser }) => {
  const viewer = await signedInAs(browser, people.viewer);
  const operator = await signedInAs(browser, people.operator);
  const refused: Array<[Page, string]> = [
    [viewer, "/settings/users"],
    [viewer, "/settings/api-keys"],
    [viewer, "/clients/new"],
    [viewer, "/connections/new"],
    [viewer, "/connections/self-client"],
    [viewer, `/connections/${connectionId}/binding`],
    [viewer, `/connections/${connectionId}/reconnect`],
    [operator, "/settings/users"],
    [operator, "/settings/api-keys"],
    [operator, "/clients/new"],
  ];
  for (const [page, path] of refused) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), `${path} for ${page === viewer ? "a viewer" : "an operator"}`).toBe(403);
  }
  // The same pages still open for those allowed.
  for (const path of ["/connections/new", `/connections/${connectionId}/reconnect`]) {
    expect((await operator.request.get(path, { maxRedirects: 0 })).status(), path).toBe(200);
  }
  await viewer.goto("/settings/users");
  await expect(viewer.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(viewer.getByText("Your role is Viewer")).toBeVisible();
  // Signed out is still a redirect to sign-in, not a 403.
  const anon = await browser.newContext({ baseURL: CONSOLE_URL, storageState: { cookies: [], origins: [] } });
  expect((await anon.request.get("/settings/users", { maxRedirects: 0 })).status()).toBeGreaterThanOrEqual(300);
  expect((await anon.request.get("/settings/users", { maxRedirects: 0 })).status()).toBeLessThan(400);
  await Promise.all([viewer.context().close(), operator.context().close(), anon.close()]);
});

test("a viewer sees a read-only note where the actions would be", async ({ browser }) => {
  const viewer = await signedInAs(browser, people.viewer);
  await viewer.goto(`/connections/${connectionId}`);
  const note = viewer.getByTestId("read-only-note");
  await expect(note).toContainText("Read-only role");
  await expect(note).toContainText("need an operator or admin");
  await expect(viewer.getByRole("button", { name: "Refresh now" })).toHaveCount(0);
  await expect(viewer.getByRole("switch", { name: "Keep fresh" })).toHaveCount(0);

  await viewer.goto("/connections");
  await expect(viewer.getByTestId("read-only-note")).toContainText("Read-only role");
  await expect(viewer.getByRole("link", { name: "New connection" })).toHaveCount(0);
  await viewer.goto("/clients");
  await expect(viewer.getByTestId("read-only-note")).toContainText("Read-only role");
  await viewer.goto(`/clients/${clientRef}`);
  await expect(viewer.getByTestId("read-only-note")).toContainText("needs an admin");

  // An operator may operate, so the connection page has no such note.
  const operator = await signedInAs(browser, people.operator);
  await operator.goto(`/connections/${connectionId}`);
  await expect(operator.getByRole("button", { name: "Refresh now" })).toBeVisible();
  await expect(operator.getByTestId("read-only-note")).toHaveCount(0);
  await Promise.all([viewer.context().close(), operator.context().close()]);
});
