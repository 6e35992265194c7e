/** The one address of an event's own page; charts and the connection history link to it too. */
export const auditEventHref = (id: number | string): string => `/audit/${encodeURIComponent(String(id))}`;
