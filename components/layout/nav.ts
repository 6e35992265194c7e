import { can, type Permission, type Role } from "@/lib/rbac";

export const NAV_ITEMS = [
  { href: "/", label: "Overview", icon: "overview" },
  { href: "/clients", label: "Clients", icon: "clients" },
  { href: "/connections", label: "Connections", icon: "connections" },
  { href: "/connect-links", label: "Connect links", icon: "links" },
  { href: "/scopes", label: "Scopes", icon: "scopes" },
  { href: "/incidents", label: "Incidents", icon: "incidents" },
  { href: "/audit", label: "Audit", icon: "audit" },
  { href: "/settings", label: "Settings", icon: "settings" },
] as const;

/** Pages under Settings, shown beneath it in the sidebar to those who may open them. */
export const SETTINGS_ITEMS = [
  { href: "/settings/users", label: "Users", permission: "users:manage" },
  { href: "/settings/api-keys", label: "API keys", permission: "keys:manage" },
  { href: "/settings/alerts", label: "Alerts", permission: "alerts:manage" },
] as const;

const MORE_PAGES: ReadonlyArray<{ href: string; label: string; permission?: Permission }> = [
  { href: "/connections/new", label: "New connection", permission: "connections:connect" },
  { href: "/connections/self-client", label: "New connection from a self client", permission: "connections:connect" },
  { href: "/connect-links/new", label: "Share a connect link", permission: "connections:connect" },
  { href: "/clients/new", label: "New client", permission: "clients:manage" },
  { href: "/docs/api", label: "API docs" },
];

/** Every page the quick jump offers to a role: the sections, then what it may open below them. */
export function jumpPages(role: Role): Array<{ href: string; label: string }> {
  return [...NAV_ITEMS, ...SETTINGS_ITEMS, ...MORE_PAGES]
    .filter((p) => !("permission" in p) || !p.permission || can(role, p.permission))
    .map(({ href, label }) => ({ href, label: href.startsWith("/settings/") ? `Settings: ${label}` : label }));
}
