// The API reference (Swagger UI, bundled with the console) in the light and the dark theme: every
// label readable, an operation opened included, and the dark theme dark all the way through.
import { expect, test } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { ADMIN_STATE, CONSOLE_URL } from "./env";

for (const colorScheme of ["light", "dark"] as const) {
  test(`the API reference is readable in the ${colorScheme} theme, with an operation open`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL: CONSOLE_URL, storageState: ADMIN_STATE, colorScheme });
    const page = await context.newPage();
    await page.goto("/docs/api");
    await expect(page.locator(".swagger-ui .opblock").first()).toBeVisible();
    await page.locator(".swagger-ui .opblock-summary-control").first().click();
    await expect(page.locator(".swagger-ui .opblock.is-open .responses-wrapper").first()).toBeVisible();
    expect(await seriousAxeViolations(page), `axe on /docs/api (${colorScheme})`).toEqual([]);

    // The servers band and the title follow the theme (a white band on a dark page was the bug).
    const look = await page.evaluate(() => {
      const lum = (c: string) => {
        const [r, g, b] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      const band = document.querySelector(".swagger-ui .scheme-container");
      const title = document.querySelector(".swagger-ui .info .title");
      return { band: lum(getComputedStyle(band!).backgroundColor), title: lum(getComputedStyle(title!).color) };
    });
    if (colorScheme === "dark") {
      expect(look.band, "servers band is dark").toBeLessThan(0.25);
      expect(look.title, "title is light").toBeGreaterThan(0.75);
    } else {
      expect(look.band, "servers band is light").toBeGreaterThan(0.9);
      expect(look.title, "title is dark").toBeLessThan(0.35);
    }
    await context.close();
  });
}
