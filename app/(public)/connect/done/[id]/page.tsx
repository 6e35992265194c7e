import type { Metadata } from "next";
import { cookies } from "next/headers";
import { Card } from "@/components/ui/card";
import { linkNonceCookie } from "@/lib/connect-links/consent";
import { linkResultForBrowser } from "@/lib/connect-links/result";

export const metadata: Metadata = { title: "Zoho authorization" };

/**
 * Where the link's owner lands after Zoho. Shown only to the browser holding the link's nonce
 * cookie; the id in the path alone shows nothing. No link into the console.
 */
export default async function LinkDonePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const linkId = /^\d{1,12}$/.test(id) ? Number(id) : NaN;
  const jar = await cookies();
  const result = await linkResultForBrowser(linkId, Number.isNaN(linkId) ? undefined : jar.get(linkNonceCookie(linkId))?.value);
  const ask = result.status !== "not_yours" && result.requestedBy ? `Ask ${result.requestedBy}, who sent you the link.` : "Ask the person who sent you the link.";
  let title: string;
  let lines: string[];
  switch (result.status) {
    case "not_yours":
      title = "Nothing to show in this browser";
      lines = ["This page shows the result only in the browser that pressed Continue to Zoho on the link.", "If you did, open the link again in that browser."];
      break;
    case "completed":
      title = "Done — access was granted";
      lines = [result.completedEmail ? `Authorized as ${result.completedEmail}.` : "The authorization was completed.", "You can close this tab."];
      break;
    case "pending":
      title = "This authorization did not finish";
      lines = ["Zoho's answer did not reach the console from this browser, so nothing was stored yet.", "Open the link again and press Continue to Zoho once."];
      break;
    default:
      title = result.reason?.title ?? "This link can no longer be used";
      lines = [result.reason?.message ?? "The link ended before the authorization was completed.", ask];
  }
  return (
    <Card className="p-6">
      <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
      {lines.map((line) => (
        <p key={line} className="mt-2 text-sm text-slate-600">
          {line}
        </p>
      ))}
    </Card>
  );
}
