import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";
import { saveViewInput, viewHref } from "./saved-views-rules";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const { users } = await import("@/db/schema");
const views = await import("./saved-views");
afterAll(() => tmp.cleanup());

async function person(email: string) {
  const [row] = await getDb().insert(users).values({ email, name: email, passwordHash: "x", role: "viewer" }).returning({ id: users.id });
  return row.id;
}

describe("saved views", () => {
  it("keeps only a Connections or Audit URL, without its page or cursor", () => {
    expect(viewHref("/connections?tag=env%3Aprod&page=3")).toBe("/connections?tag=env%3Aprod");
    expect(viewHref("/audit?action=tokens&before=1.2")).toBe("/audit?action=tokens");
    expect(viewHref("/connections")).toBe("/connections");
    expect(viewHref("/connections?q=&status=&tag=env%3Aprod")).toBe("/connections?tag=env%3Aprod");
    for (const bad of ["https://evil.example/connections", "//evil.example/audit", "/settings/users", "/connections/12", "javascript:alert(1)"]) {
      expect(viewHref(bad), bad).toBeNull();
    }
    expect(saveViewInput.safeParse({ name: " ", href: "/audit" }).success).toBe(false);
    expect(saveViewInput.safeParse({ name: "x", href: "/clients" }).error?.issues[0].message).toMatch(/Connections or Audit/);
  });

  it("are each person's own: saved, replaced under the same name, listed by name, deleted", async () => {
    const ann = await person("ann@console.test");
    const bob = await person("bob@console.test");
    await views.saveView(ann, "Prod", "/connections?tag=env%3Aprod");
    await views.saveView(ann, "Failures", "/audit?outcome=failure");
    expect(await views.saveView(ann, "Prod", "/connections?tag=env%3Aprod&status=active")).toMatchObject({ replaced: true });
    expect((await views.viewsOf(ann)).map((v) => [v.name, v.href])).toEqual([
      ["Failures", "/audit?outcome=failure"],
      ["Prod", "/connections?tag=env%3Aprod&status=active"],
    ]);
    expect(await views.viewsOf(bob)).toEqual([]);
    const [first] = await views.viewsOf(ann);
    // Another person's id deletes nothing.
    expect(await views.deleteView(bob, first.id)).toBeNull();
    expect(await views.deleteView(ann, first.id)).toMatchObject({ name: "Failures" });
    expect((await views.viewsOf(ann)).map((v) => v.name)).toEqual(["Prod"]);
  });

  it("holds a person to twenty", async () => {
    const cy = await person("cy@console.test");
    for (let i = 0; i < 20; i++) await views.saveView(cy, `v${i}`, "/audit");
    await expect(views.saveView(cy, "one more", "/audit")).rejects.toThrow(/20 saved views/);
    // Replacing one is still allowed.
    await expect(views.saveView(cy, "v3", "/connections")).resolves.toMatchObject({ replaced: true });
  });
});
