"use server";
import { revalidatePath } from "next/cache";
import { guardedAction, requestIp, type ActionResult } from "@/lib/actions";
import { saveBinding } from "@/lib/authorization/binding";
import { bindingSchema } from "@/lib/authorization/schemas";

export async function saveBindingAction(formData: FormData): Promise<ActionResult> {
  return guardedAction("connections:connect", "connection.bind", bindingSchema, formData, async (input, user) => {
    await saveBinding(user, input.connectionId, { desk: input.desk, salesiq: input.salesiq, assistDepartment: input.assistDepartment }, await requestIp());
    revalidatePath(`/connections/${input.connectionId}`);
    revalidatePath("/connections");
    return {
      ok: true,
      message: "Binding saved.",
      redirect: input.attempt ? `/connections/result?attempt=${input.attempt}` : `/connections/${input.connectionId}`,
    };
  });
}
