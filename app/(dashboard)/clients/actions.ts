"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf, recordAudit } from "@/lib/audit";
import { createClient, deleteClient, listClients, updateClient } from "@/lib/clients";
import { clientFormSchema } from "@/lib/clients-schema";
import { UserError } from "@/lib/errors";
import { availableRealms } from "@/lib/realm";
import { fetchSandboxDemoClient, SANDBOX_DEMO_CLIENT_ID, SANDBOX_DEMO_CLIENT_NAME } from "@/lib/sandbox-demo";

function checkRealm(realm: string) {
  if (!availableRealms().includes(realm as never)) {
    throw new UserError("The local sandbox is not configured on this console; choose Live Zoho.", "realm");
  }
}

export async function createClientAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("clients:manage", "client.create", clientFormSchema, formData, async (input, user) => {
    checkRealm(input.realm);
    const client = await createClient(input, user.id);
    await recordAudit({
      actor: actorOf(user),
      action: "client.create",
      target: { type: "client", id: client.id },
      detail: { name: client.name, realm: client.realm, clientType: client.clientType, clientId: client.clientId, enabledDcs: client.enabledDcs },
      ip: await requestIp(),
    });
    revalidatePath("/clients");
    return { ok: true, message: `Client “${client.name}” registered.`, redirect: `/clients/${client.id}?created=1` };
  });
}

const updateSchema = clientFormSchema.extend({ id: z.coerce.number().int().positive() });

export async function updateClientAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("clients:manage", "client.update", updateSchema, formData, async ({ id, ...input }, user) => {
    checkRealm(input.realm);
    const { client, secretReplaced, changed, before, after } = await updateClient(id, input);
    const ip = await requestIp();
    if (changed.length) {
      await recordAudit({ actor: actorOf(user), action: "client.update", target: { type: "client", id }, detail: { name: client.name, changed, before, after }, ip });
    }
    if (secretReplaced) {
      // The value is never recorded; only that it changed and its new last four characters.
      await recordAudit({ actor: actorOf(user), action: "client.secret_replace", target: { type: "client", id }, detail: { name: client.name, secret: client.secretMasked }, ip });
    }
    revalidatePath("/clients");
    revalidatePath(`/clients/${id}`);
    const what = secretReplaced ? (changed.length ? "Changes and new secret saved." : "New secret saved.") : changed.length ? "Changes saved." : "Nothing changed.";
    return { ok: true, message: what };
  });
}

const idSchema = z.object({ id: z.coerce.number().int().positive() });

export async function deleteClientAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("clients:manage", "client.delete", idSchema, formData, async ({ id }, user) => {
    const client = await deleteClient(id);
    await recordAudit({
      actor: actorOf(user),
      action: "client.delete",
      target: { type: "client", id },
      detail: { name: client.name, clientId: client.clientId },
      ip: await requestIp(),
    });
    revalidatePath("/clients");
    return { ok: true, message: `Client “${client.name}” deleted.`, redirect: "/clients?deleted=1" };
  });
}

export async function addSandboxDemoClientAction(): Promise<ActionResult> {
  return guardedAction("clients:manage", "client.create", z.object({}), {}, async (_input, user) => {
    checkRealm("sandbox");
    const existing = (await listClients()).find((c) => c.realm === "sandbox" && c.clientId === SANDBOX_DEMO_CLIENT_ID);
    if (existing) return { ok: true, message: "The sandbox demo client is already registered.", redirect: `/clients/${existing.id}?created=1` };
    let demo;
    try {
      demo = await fetchSandboxDemoClient();
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    const client = await createClient(
      {
        name: SANDBOX_DEMO_CLIENT_NAME,
        realm: "sandbox",
        clientType: "server",
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        homeDc: demo.homeDc,
        multiDc: demo.enabledDcs.length > 1,
        enabledDcs: demo.enabledDcs,
        description: "Pre-registered in the local Zoho sandbox; try every flow with its demo users.",
      },
      user.id,
    );
    await recordAudit({
      actor: actorOf(user),
      action: "client.create",
      target: { type: "client", id: client.id },
      detail: { name: client.name, realm: "sandbox", clientId: client.clientId, enabledDcs: client.enabledDcs, source: "sandbox demo" },
      ip: await requestIp(),
    });
    revalidatePath("/clients");
    return { ok: true, message: "Sandbox demo client added.", redirect: `/clients/${client.id}?created=1` };
  });
}
