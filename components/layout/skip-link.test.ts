import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SkipLink } from "./skip-link";

type Anchor = ReactElement<{ onClick: (e: { preventDefault: () => void }) => void }>;

// Where the link sits (out of sight until Tab reaches it, then on screen) and that Enter moves
// focus into main are checked in a real browser: e2e/accessibility.spec.ts, "the first Tab on a
// dashboard page reaches the skip link…". Here: what holds without JavaScript, and the click handler.
describe("SkipLink", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("without JavaScript is a plain link to #main", () => {
    const html = renderToStaticMarkup(createElement(SkipLink));
    expect(html).toMatch(/^<a href="#main"[^>]*>Skip to main content<\/a>$/);
  });

  it("moves focus to main instead of only scrolling there", () => {
    const main = { focus: vi.fn() };
    const getElementById = vi.fn((id: string) => (id === "main" ? main : null));
    vi.stubGlobal("document", { getElementById });
    const preventDefault = vi.fn();
    (SkipLink() as Anchor).props.onClick({ preventDefault });
    expect(main.focus).toHaveBeenCalledOnce();
    expect(preventDefault).toHaveBeenCalledOnce();
  });

  it("leaves the plain link to the browser when the page has no main", () => {
    vi.stubGlobal("document", { getElementById: () => null });
    const preventDefault = vi.fn();
    (SkipLink() as Anchor).props.onClick({ preventDefault });
    expect(preventDefault).not.toHaveBeenCalled();
  });
});
