import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Link2, Plus } from "lucide-react";
import { LinksTable, type LinksPageData } from "@/components/connect-links/links-table";
import { ReadOnlyNote } from "@/components/layout/read-only-note";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { PageSkeleton, TableSkeleton } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { listLinks, LINKS_PAGE_SIZE } from "@/lib/connect-links/view";
import { can } from "@/lib/rbac";

export const metadata: Metadata = { title: "Connect links" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The page as the table and /api/connect-links hand it over, with the time it was read. */
async function linksPage(page: number): Promise<LinksPageData> {
  const generatedAt = Date.now();
  const { links, total } = await listLinks({ page }, generatedAt);
  return { links, total, page, pageSize: LINKS_PAGE_SIZE, generatedAt };
}

// The frame shows at once while the list loads. A boundary here rather than a loading.tsx, which
// would also wrap /connect-links/new and turn its 403 for viewers into a streamed 200.
export default function ConnectLinksPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense
      fallback={
        <PageSkeleton title="Connect links" waitingFor="Loading connect links…">
          <TableSkeleton rows={8} />
        </PageSkeleton>
      }
    >
      <ConnectLinks searchParams={searchParams} />
    </Suspense>
  );
}

async function ConnectLinks({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const canConnect = can(user.role, "connections:connect");
  const raw = Number((await searchParams).page);
  const initial = await linksPage(Number.isSafeInteger(raw) && raw > 0 ? raw : 1);
  const share = canConnect ? (
    <Link href="/connect-links/new" className={buttonClass("primary")}>
      <Plus className="h-4 w-4" aria-hidden />
      Share a connect link
    </Link>
  ) : (
    <ReadOnlyNote need="Sharing, revoking and issuing connect links needs an operator or admin." />
  );
  return (
    <>
      <PageHeader
        title="Connect links"
        description="Links that let the owner of a Zoho account authorize a connection without a console account. Each is shown once when made; here you follow what became of it."
        actions={initial.total > 0 ? share : undefined}
      />
      {initial.total === 0 ? (
        <EmptyState icon={<Link2 className="h-8 w-8" aria-hidden />} title="No connect links yet" action={share}>
          When the Zoho account to connect belongs to someone else (a customer, another team), share a connect link instead of asking
          for their password: you choose the client and scopes, they open the link, read what it asks for and approve at Zoho. Their
          consent makes the connection here, and this list shows who completed it. A connection that needs re-authorization can get a
          reconnect link from its page.
        </EmptyState>
      ) : (
        <LinksTable initial={initial} canConnect={canConnect} smtpConfigured={Boolean(config().SMTP_URL)} />
      )}
    </>
  );
}
