import Link from "next/link";
import { CircleX } from "lucide-react";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** What went wrong, in words, and the way back. Nothing here comes from the callback's URL. */
export function FailurePanel({
  title,
  message,
  advice,
  retryHref,
  retryLabel = "Start again",
}: {
  title: string;
  message: string;
  advice: string;
  retryHref: string;
  retryLabel?: string;
}) {
  return (
    <Card className="p-6">
      <div className="flex items-start gap-4" role="alert" aria-labelledby="failure-title">
        <CircleX className="mt-0.5 h-6 w-6 shrink-0 text-red-600" aria-hidden />
        <div className="space-y-2">
          <h2 id="failure-title" className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {message && <p className="text-sm text-slate-700">{message}</p>}
          {advice && (
            <p className="text-sm text-slate-700">
              <span className="font-medium">What to do: </span>
              {advice}
            </p>
          )}
          <p className="text-sm text-slate-600">No connection was created or changed.</p>
          <div className="flex gap-2 pt-2">
            <Link href={retryHref} className={buttonClass()}>
              {retryLabel}
            </Link>
            <Link href="/connections" className={buttonClass("secondary")}>
              Back to connections
            </Link>
          </div>
        </div>
      </div>
    </Card>
  );
}
