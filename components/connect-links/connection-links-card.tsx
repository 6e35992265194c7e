import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import { LocalDateTime } from "@/components/ui/local-time";
import type { ConnectLinkDto } from "@/lib/connect-links/view";
import { LinkState } from "./link-state";
import { linkEnd } from "./link-words";

/**
 * The connect links of one connection, on its page: the links that re-authorize it and the one
 * that made it. Shown only when there are some; managed under Connect links.
 */
export function ConnectionLinksCard({ links, connectionId }: { links: ConnectLinkDto[]; connectionId: number }) {
  if (links.length === 0) return null;
  return (
    <Card className="overflow-x-auto">
      <div className="px-5 pt-4 pb-2">
        <h2 id="connection-links" className="text-sm font-semibold">Connect links</h2>
        <p className="mt-1 text-xs text-slate-500">
          Links shared for this connection&apos;s Zoho user. Revoke or issue them again under{" "}
          <Link href="/connect-links" className="font-medium text-indigo-600 hover:underline">Connect links</Link>.
        </p>
      </div>
      <table className="w-full text-left text-sm" aria-labelledby="connection-links">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">State</th>
            <th scope="col" className="px-4 py-2 font-medium">Kind</th>
            <th scope="col" className="px-4 py-2 font-medium">Created</th>
            <th scope="col" className="px-4 py-2 font-medium">Expires or ended</th>
            <th scope="col" className="px-4 py-2 font-medium">Completed by</th>
          </tr>
        </thead>
        <tbody>
          {links.map((l) => {
            const end = linkEnd(l);
            const made = l.resultConnectionId === connectionId && l.kind === "new";
            return (
              <tr key={l.id} className="border-t border-slate-100 align-top" data-testid={`connection-link-${l.id}`}>
                <td className="px-4 py-3">
                  <LinkState link={l} />
                </td>
                <td className="px-4 py-3">
                  <Badge tone={l.kind === "reconnect" ? "amber" : "gray"}>{made ? "Made this connection" : l.kind === "reconnect" ? "Reconnect" : "New"}</Badge>
                </td>
                <td className="px-4 py-3 text-xs text-slate-600">
                  <div className="text-sm text-slate-800">{l.createdBy ?? "a deleted user"}</div>
                  <LocalDateTime ms={l.createdAt} />
                </td>
                <td className="px-4 py-3 text-xs text-slate-600">
                  <div className="text-slate-500">{end.label}</div>
                  {end.at !== null ? <LocalDateTime ms={end.at} /> : "—"}
                </td>
                <td className="px-4 py-3 text-slate-700">{l.state === "completed" ? (l.completedEmail ?? l.completedZuid ?? "unknown Zoho user") : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
