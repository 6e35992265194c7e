import type { Metadata } from "next";
import { CatalogueBrowser } from "@/components/scopes/catalogue-browser";
import { parseCatalogueParams } from "@/components/scopes/catalogue-filter";
import { ScopeStringBuilder } from "@/components/scopes/scope-string-builder";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";

export const metadata: Metadata = { title: "Scopes" };

// Every signed-in role may read the catalogue: it is public Zoho documentation, no secrets.
export default async function ScopesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filter = parseCatalogueParams(await searchParams);
  return (
    <>
      <PageHeader
        title="Scopes"
        description="Which Zoho scope each Desk, Assist and SalesIQ API call needs, and how each service's organisations are found. Pick the narrowest scope a job needs."
        actions={
          <a href="#builder" className={buttonClass("secondary")}>
            Build a scope string
          </a>
        }
      />
      <div className="grid grid-cols-[minmax(0,1fr)] items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_28rem]">
        <CatalogueBrowser initial={filter} />
        <aside id="builder" aria-labelledby="builder-title" className="scroll-mt-6 2xl:sticky 2xl:top-6 2xl:max-h-[calc(100vh-3rem)] 2xl:overflow-y-auto relative 2xl:rounded-lg">
          <ScopeStringBuilder />
        </aside>
      </div>
    </>
  );
}
