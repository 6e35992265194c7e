"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { saveBinding } from "@/lib/connect/binding";
import { bindingSchema } from "@/lib/connect/schemas";

export async function saveBindingAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  let next: string | undefined;
  const result = await guardedAction("connections:connect", "connection.bind", bindingSchema, formData, async (input, user) => {
    await saveBinding(user, input.connectionId, { desk: input.desk, salesiq: input.salesiq, assistDepartment: input.assistDepartment }, await requestIp());
    revalidatePath(`/connections/${input.connectionId}`);
    revalidatePath("/connections");
    next = input.attempt ? `/connections/result?attempt=${input.attempt}` : `/connections/${input.connectionId}`;
    return { ok: true, message: "Binding saved." };
  });
  if (result.ok && next) redirect(next);
  return result;
}
