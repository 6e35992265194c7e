import { unstable_rethrow } from "next/navigation";
import type { ActionResult } from "@/lib/actions";

const UNREACHABLE =
  "The console did not answer, so nothing was changed. Check that it is running, then try again.";

/**
 * Calls a server action from a button or a switch (forms use useActionForm, which calls this). A request that never reaches the server (restart,
 * network) or an unexpected server error becomes a failed result the caller can show;
 * redirects are passed on to Next.
 */
export async function callAction<R extends ActionResult>(run: () => Promise<R>): Promise<R | { ok: false; error: string }> {
  try {
    return await run();
  } catch (e) {
    unstable_rethrow(e); // an action's redirect arrives as a rejection Next must handle
    return { ok: false, error: UNREACHABLE };
  }
}
