import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { RefresherRunRow } from "@/lib/tokens/refresher";
import { STATUS_KINDS, STATUS_LABELS, STATUS_TONES, type StatusKind } from "@/lib/connection-status";
import type { Bounded, BudgetRow } from "@/lib/connections/overview";
import type { ConnectionDto } from "@/lib/connections/queries";
import { Countdown } from "./live";
import { StatusBadge } from "./status-badge";
import { LocalTime } from "./time";
import { budgetLevel } from "@/lib/authorization/budget-rules";

const TONE_TEXT = { green: "text-emerald-700", amber: "text-amber-700", red: "text-red-700", gray: "text-slate-600", blue: "text-indigo-700" };

export function StatusCounts({ counts }: { counts: Record<StatusKind, number> }) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="status-counts">
      {STATUS_KINDS.map((k) => (
        <Link key={k} href={`/connections?status=${k}`} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300">
          <div className={cn("text-2xl font-semibold tabular-nums", counts[k] ? TONE_TEXT[STATUS_TONES[k]] : "text-slate-300")}>{counts[k]}</div>
          <div className="text-xs text-slate-600">{STATUS_LABELS[k]}</div>
        </Link>
      ))}
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <Card className="overflow-hidden">
      <h2 className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-900">{title}</h2>
      <div data-testid={testId}>{children}</div>
    </Card>
  );
}

const Empty = ({ children }: { children: React.ReactNode }) => <p className="px-5 py-6 text-sm text-slate-500">{children}</p>;

/** "and N more", linking to where the whole list is. */
function More({ shown, total, href, label }: { shown: number; total: number; href: string; label: string }) {
  if (total <= shown) return null;
  return (
    <li className="px-5 py-2 text-xs">
      <Link href={href} className="font-medium text-indigo-700 hover:underline">
        and {(total - shown).toLocaleString("en-US")} more
      </Link>{" "}
      <span className="text-slate-500">{label}</span>
    </li>
  );
}

export function NeedsAttention({ list }: { list: Bounded<ConnectionDto> }) {
  const { items, total } = list;
  return (
    <Section title="Needs attention" testId="needs-attention">
      {items.length === 0 ? (
        <Empty>Nothing needs attention: every connection is healthy or renews itself.</Empty>
      ) : (
        <ul className="divide-y divide-slate-100">
          {items.map((c) => (
            <li key={c.id} className="px-5 py-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link href={`/connections/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.name}</Link>
                <StatusBadge status={c.status} />
              </div>
              <p className="mt-1 text-slate-600">{c.status.reason}</p>
              <p className="text-xs text-slate-500">Next: {c.status.nextAction}</p>
            </li>
          ))}
          <More shown={items.length} total={total} href="/connections?sort=status" label="in the list, most urgent first" />
        </ul>
      )}
    </Section>
  );
}

export function ExpiringSoon({ list, generatedAt }: { list: Bounded<ConnectionDto>; generatedAt: number }) {
  const { items: shown, total } = list;
  return (
    <Section title="Access tokens expiring in the next hour" testId="expiring">
      {shown.length === 0 ? (
        <Empty>No access token expires in the next hour.</Empty>
      ) : (
        <ul className="divide-y divide-slate-100">
          {shown.map((c) => {
            const renews = c.keepFresh && c.facts.hasRefreshToken && !c.facts.reauthReason;
            return (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-2.5 text-sm">
                <Link href={`/connections/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.name}</Link>
                <span className="flex items-center gap-3">
                  <span className="text-xs text-slate-500">
                    <LocalTime ms={c.accessTokenExpiresAt} />
                  </span>
                  <Countdown expiresAt={c.accessTokenExpiresAt} generatedAt={generatedAt} />
                  {renews ? <Badge tone="blue">Renewed automatically</Badge> : <Badge tone="amber">Will lapse</Badge>}
                </span>
              </li>
            );
          })}
          <More shown={shown.length} total={total} href="/connections?sort=expiry" label="in the list, soonest first" />
        </ul>
      )}
    </Section>
  );
}

export function BudgetTable({ budgets, showingAll }: { budgets: Bounded<BudgetRow>; showingAll: boolean }) {
  const { items: rows, total } = budgets;
  return (
    <Section title="Refresh-token budget per client and Zoho user" testId="budgets">
      {rows.length === 0 ? (
        <Empty>No live refresh tokens with a known Zoho user yet.</Empty>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">Client</th>
              <th scope="col" className="px-5 py-2 font-medium">Zoho user</th>
              <th scope="col" className="px-5 py-2 font-medium">Live refresh tokens</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const pct = Math.min(100, (r.live / r.cap) * 100);
              const level = budgetLevel(r.live);
              const tone = level === "full" ? "bg-red-500" : level === "warn" ? "bg-amber-500" : "bg-indigo-500";
              return (
                <tr key={`${r.clientId}:${r.zuid}`} className="border-t border-slate-100">
                  <td className="px-5 py-2">{r.clientName}</td>
                  <td className="px-5 py-2">
                    {r.email ?? "—"} <span className="text-xs text-slate-500">ZUID {r.zuid}</span>
                  </td>
                  <td className="px-5 py-2">
                    <div className="flex items-center gap-3">
                      <div className="h-2 w-32 overflow-hidden rounded-full bg-slate-100">
                        <div className={cn("h-full", tone)} style={{ width: `${pct}%` }} />
                      </div>
                      <span className="tabular-nums">{r.live} of {r.cap}</span>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {(total > rows.length || showingAll) && (
        <p className="border-t border-slate-100 px-5 py-2 text-xs">
          {total > rows.length ? (
            <Link href="/?budgets=all" className="font-medium text-indigo-700 hover:underline">
              Showing the fullest {rows.length} of {total.toLocaleString("en-US")}: show {showingAll ? "more" : "all"}
            </Link>
          ) : (
            <Link href="/" className="font-medium text-indigo-700 hover:underline">Show the fullest only</Link>
          )}
        </p>
      )}
      <p className="border-t border-slate-100 px-5 py-2 text-xs text-slate-500">
        Zoho keeps at most 20 refresh tokens per user and client; the next consent silently evicts the oldest connection.
      </p>
    </Section>
  );
}

export function RefresherCard({ run, enabled, intervalMs }: { run: RefresherRunRow | undefined; enabled: boolean; intervalMs: number }) {
  return (
    <Section title="Background refresher" testId="refresher">
      <div className="space-y-1 px-5 py-4 text-sm text-slate-700">
        <p>
          {enabled ? (
            <>Runs every {Math.round(intervalMs / 1000)} s and renews keep-fresh connections five minutes before they expire.</>
          ) : (
            <>Turned off in this process (CONSOLE_REFRESHER=off).</>
          )}
        </p>
        {run ? (
          <p data-testid="refresher-last-run">
            Last run <LocalTime ms={run.startedAt.getTime()} seconds relative />: {run.considered} due,{" "}
            {run.refreshed} refreshed, {run.failed} failed{run.note ? ` · ${run.note}` : ""}
            {!run.finishedAt && " · still running"}.
          </p>
        ) : (
          <p className="text-slate-500">It has not run yet.</p>
        )}
      </div>
    </Section>
  );
}
