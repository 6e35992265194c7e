import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SubmitButton } from "./submit-button";

// That forms use SubmitButton rather than their own pending words is a lint rule
// (HAND_ROLLED_PENDING in eslint.config.mjs, proved in test/lint-rules.test.ts).
const render = (props: Parameters<typeof SubmitButton>[0]) => renderToStaticMarkup(createElement(SubmitButton, props));

describe("SubmitButton", () => {
  it("at rest shows its label and can be pressed", () => {
    const html = render({ pending: false, pendingLabel: "Saving…", children: "Save binding" });
    expect(html).toMatch(/^<button type="submit"/);
    expect(html).toContain(">Save binding</button>");
    expect(html).not.toContain('disabled=""');
    expect(html).not.toContain("aria-busy");
    expect(html).not.toContain("animate-spin");
  });

  it("while pending is disabled, busy, spins and says what it is doing", () => {
    const html = render({ pending: true, pendingLabel: "Saving…", children: "Save binding" });
    expect(html).toContain('disabled=""');
    expect(html).toContain('aria-busy="true"');
    expect(html).toMatch(/<svg[^>]*aria-hidden="true"[^>]*animate-spin|<svg[^>]*animate-spin[^>]*aria-hidden="true"/);
    expect(html).toContain("Saving…</button>");
    expect(html).not.toContain("Save binding");
  });

  it("stays disabled when the form cannot be sent yet, without claiming to be busy", () => {
    const html = render({ pending: false, pendingLabel: "Opening Zoho…", disabled: true, children: "Reconnect in Zoho" });
    expect(html).toContain('disabled=""');
    expect(html).not.toContain("aria-busy");
    expect(html).toContain(">Reconnect in Zoho</button>");
  });

  it("passes on a small size and an accessible name", () => {
    const html = render({ pending: false, pendingLabel: "Opening Zoho…", size: "sm", "aria-label": "Try again: Desk", children: "Try again" });
    expect(html).toContain('aria-label="Try again: Desk"');
    expect(html).toContain("text-xs");
  });
});
