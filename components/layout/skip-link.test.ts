import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SkipLink } from "./skip-link";

type Anchor = ReactElement<{ onClick: (e: { preventDefault: () => void }) => void }>;

describe("SkipLink", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("links to #main, parked above the page until focused and then brought into view", () => {
    const html = renderToStaticMarkup(createElement(SkipLink));
    expect(html).toMatch(/^<a href="#main"/);
    expect(html).toContain(">Skip to main content</a>");
    const classes = /class="([^"]*)"/.exec(html)![1].split(" ");
    expect(classes).toEqual(expect.arrayContaining(["fixed", "-translate-y-24", "focus:translate-y-0"]));
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
