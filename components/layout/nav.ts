export const NAV_ITEMS = [
  { href: "/", label: "Overview", icon: "overview" },
  { href: "/clients", label: "Clients", icon: "clients" },
  { href: "/connections", label: "Connections", icon: "connections" },
  { href: "/scopes", label: "Scopes", icon: "scopes" },
  { href: "/audit", label: "Audit", icon: "audit" },
  { href: "/settings", label: "Settings", icon: "settings" },
] as const;
