// Every TanStack Query key the console uses, in one place: a query and the mutation that
// invalidates it must spell its key the same way, and a prefix (e.g. all connect-link pages)
// must stay a prefix of each page's key.
export const queryKeys = {
  connection: (id: number) => ["connection", id] as const,
  connections: (queryString: string) => ["connections", queryString] as const,
  // Not under "connections": a bulk action's invalidation of the list need not search again.
  connectionChoices: (term: string) => ["connection-choices", term] as const,
  connectLinks: () => ["connect-links"] as const,
  connectLinksPage: (page: number) => [...queryKeys.connectLinks(), page] as const,
  quickJump: (term: string) => ["quick-jump", term] as const,
};
