import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { redirect } from "next/navigation";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/actions";

const toasts = vi.hoisted(() => ({ success: [] as string[] }));
vi.mock("sonner", () => ({ toast: { success: (m: string) => toasts.success.push(m) } }));
const { FormError, formLevelError, settle, submitOnce } = await import("./action-form");

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};

// The hook itself (useActionForm) wires these into React state; every form that uses it is driven
// in a browser by the e2e specs (users, clients, api keys, alerts, connect, connect links, auth).
describe("a form's submission", () => {
  beforeEach(() => {
    toasts.success.length = 0;
  });

  it("says a success in a toast", async () => {
    const result = await submitOnce(async () => ({ ok: true, message: "User added." }), form({ name: "Ada" }));
    expect(result.ok).toBe(true);
    expect(toasts.success).toEqual(["User added."]);
  });

  it("hands a success to a form that shows it itself, with what was sent, and makes no toast", async () => {
    const seen: unknown[] = [];
    await submitOnce(
      async () => ({ ok: true, message: "Created.", created: { id: 7, key: "k" } }),
      form({ name: "Nightly export" }),
      (result, data) => seen.push(result.created, data.get("name")),
    );
    expect(seen).toEqual([{ id: 7, key: "k" }, "Nightly export"]);
    expect(toasts.success).toEqual([]);
  });

  it("turns a console that does not answer into a refusal the form shows, and calls nothing on it", async () => {
    const onSuccess = vi.fn();
    const result = await submitOnce(async () => Promise.reject(new TypeError("Failed to fetch")), form({}), onSuccess);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^The console did not answer, so nothing was changed/) });
    expect(onSuccess).not.toHaveBeenCalled();
    expect(toasts.success).toEqual([]);
  });

  it("passes an action's redirect on to Next instead of showing it as a failure", async () => {
    await expect(submitOnce(async () => redirect("/clients/3"), form({}))).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) });
  });

  it("keeps the fields as typed after a refusal, and remounts them after a success", () => {
    const refused: ActionResult = { ok: false, error: "Wrong email or password." };
    const after = settle({ round: 0 }, refused);
    expect(after).toEqual({ failure: refused, round: 0 });
    expect(settle(after, { ok: true })).toEqual({ failure: undefined, round: 1 });
  });
});

describe("the form-level message", () => {
  it("shows a refusal that no field shows, as an alert", () => {
    const html = renderToStaticMarkup(createElement(FormError, { failure: { ok: false, error: "Wrong email or password." } }));
    expect(html).toContain('role="alert"');
    expect(html).toContain("Wrong email or password.");
  });

  it("is not repeated when a field already says the same words", () => {
    const failure = { ok: false as const, error: "A client with this name exists.", fieldErrors: { name: "A client with this name exists." } };
    expect(formLevelError(failure)).toBeUndefined();
    expect(renderToStaticMarkup(createElement(FormError, { failure }))).toBe("");
  });

  it("still says that something needs attention when the fields carry other words", () => {
    const failure = { ok: false as const, error: "Some fields need attention.", fieldErrors: { name: "Use at least 5 characters" } };
    expect(formLevelError(failure)).toBe("Some fields need attention.");
  });

  it("says nothing before a submission or after a success", () => {
    expect(renderToStaticMarkup(createElement(FormError, { failure: undefined }))).toBe("");
  });
});
