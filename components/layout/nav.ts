export const NAV_ITEMS = [
  { href: "/", label: "Overview", icon: "overview" },
  { href: "/clients", label: "Clients", icon: "clients" },
  { href: "/connections", label: "Connections", icon: "connections" },
  { href: "/scopes", label: "Scopes", icon: "scopes" },
  { href: "/audit", label: "Audit", icon: "audit" },
  { href: "/settings", label: "Settings", icon: "settings" },
] as const;

/** Pages under Settings, shown beneath it in the sidebar to those who may open them. */
export const SETTINGS_ITEMS = [
  { href: "/settings/users", label: "Users", permission: "users:manage" },
  { href: "/settings/api-keys", label: "API keys", permission: "keys:manage" },
] as const;
