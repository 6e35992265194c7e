// A destination's edit is on the audit trail with what changed, before and after: the page's
// diff reads it (lib/audit/diff.ts). Never the URL itself (a credential), only its hint.
import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ SMTP_URL: "smtp://127.0.0.1:2525" });
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { createDestination, updateDestination } = await import("./destinations");
const { changeDiff } = await import("@/lib/audit/diff");
afterAll(() => tmp.cleanup());

const actor = { type: "system" as const, label: "system" };

describe("alert destination edits on the audit trail", () => {
  it("record the changed fields before and after, and the diff shows only those", async () => {
    const { id } = await createDestination({ name: "Ops mail", kind: "email", url: "", emails: ["ops@example.com"], events: [], clientId: null, connectionId: null }, actor, null);
    await updateDestination({ id, name: "Ops mail (EU)", kind: "email", url: "", emails: ["ops@example.com", "eu@example.com"], events: [], clientId: null, connectionId: null }, actor, null);
    const [row] = await getDb().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "alert.destination_update"));
    expect(row.detail).toMatchObject({ changed: ["name", "recipients"] });
    expect(changeDiff(row.detail)).toEqual([
      { field: "name", before: "Ops mail", after: "Ops mail (EU)" },
      { field: "recipients", before: ["ops@example.com"], after: ["ops@example.com", "eu@example.com"] },
    ]);
  });
});
