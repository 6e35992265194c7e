"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { actorOf } from "@/lib/audit";
import { replayDelivery, sendTest } from "@/lib/alerts/deliveries";
import { createDestination, deleteDestination, resumeDestination, rotateSecret, updateDestination } from "@/lib/alerts/destinations";
import { createDestinationSchema, deliveryIdSchema, destinationIdSchema, updateDestinationSchema } from "@/lib/alerts/input";

// The lib functions record the audit rows of what succeeds; guardedAction records refusals.
// A signing secret leaves here once, in `created.key`, to the admin who made or rotated it.

export type TestOutcome = Awaited<ReturnType<typeof sendTest>>;
export type SendTestResult = ActionResult & { test?: TestOutcome };

function revalidateAlertPages(id?: number) {
  revalidatePath("/settings/alerts");
  if (id) revalidatePath(`/settings/alerts/${id}`);
}

export async function createDestinationAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("alerts:manage", "alert.destination_create", createDestinationSchema, formData, async (input, user) => {
    const { id, secret } = await createDestination(input, actorOf(user), await requestIp());
    revalidateAlertPages();
    return { ok: true, message: `Destination “${input.name}” added.`, ...(secret ? { created: { id, key: secret } } : {}) };
  });
}

export async function updateDestinationAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("alerts:manage", "alert.destination_update", updateDestinationSchema, formData, async (input, user) => {
    await updateDestination(input, actorOf(user), await requestIp());
    revalidateAlertPages(input.id);
    return { ok: true, message: `Destination “${input.name}” saved.` };
  });
}

export async function deleteDestinationAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("alerts:manage", "alert.destination_delete", destinationIdSchema, formData, async ({ id }, user) => {
    const name = await deleteDestination(id, actorOf(user), await requestIp());
    revalidateAlertPages();
    return { ok: true, message: `Destination “${name}” deleted. It receives no more alerts.` };
  });
}

export async function rotateSecretAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("alerts:manage", "alert.destination_rotate", destinationIdSchema, formData, async ({ id }, user) => {
    const secret = await rotateSecret(id, actorOf(user), await requestIp());
    revalidateAlertPages(id);
    return { ok: true, message: "New signing secret made. The old one keeps signing beside it for 24 hours.", created: { id, key: secret } };
  });
}

export async function resumeDestinationAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("alerts:manage", "alert.destination_resume", destinationIdSchema, formData, async ({ id }, user) => {
    const name = await resumeDestination(id, actorOf(user), await requestIp());
    revalidateAlertPages(id);
    return { ok: true, message: `Destination “${name}” resumed: waiting deliveries go out now.` };
  });
}

export async function sendTestAction(formData: FormData): Promise<SendTestResult> {
  // guardedAction's result has no room for the test's outcome: it is carried beside it.
  const out: { test?: TestOutcome } = {};
  const result = await guardedAction("alerts:manage", "alert.test", destinationIdSchema, formData, async ({ id }, user) => {
    out.test = await sendTest(id, actorOf(user), await requestIp());
    revalidateAlertPages(id);
    return { ok: true, message: out.test.delivered ? "Test delivered." : "The test was not delivered." };
  });
  return result.ok && out.test ? { ...result, test: out.test } : result;
}

export async function replayDeliveryAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("alerts:manage", "alert.replay", deliveryIdSchema, formData, async ({ deliveryId }, user) => {
    await replayDelivery(deliveryId, actorOf(user), await requestIp());
    revalidatePath("/settings/alerts");
    revalidatePath("/settings/alerts/[id]", "page");
    return { ok: true, message: "Replay queued: the event goes out again as a new delivery, with the same webhook-id." };
  });
}
