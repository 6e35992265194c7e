"use client";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

// An unexpected server error inside the console: say so plainly and offer a way on.
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      title="The console hit an unexpected error"
      action={
        <>
          <Button onClick={reset}>Try again</Button>
          <Link href="/" className="inline-flex items-center px-3.5 py-2 text-sm font-medium text-indigo-600 hover:underline">
            Back to the overview
          </Link>
        </>
      }
    >
      Nothing was changed by the failed step. Try again; if it repeats, check the server log
      {error.digest ? ` for reference ${error.digest}` : ""}.
    </EmptyState>
  );
}
