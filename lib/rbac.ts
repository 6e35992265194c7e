import { ROLES, type Role } from "@/db/enums";

export { ROLES, type Role };

// One table of who may do what; server actions and route handlers ask it, the UI only mirrors it.
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

const PERMISSIONS = {
  "users:manage": "admin",
  "clients:manage": "admin",
  "keys:manage": "admin",
  "alerts:manage": "admin",
  "connections:connect": "operator",
  "connections:operate": "operator",
  "console:view": "viewer",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | undefined | null, permission: Permission): boolean {
  if (!role) return false;
  return RANK[role] >= RANK[PERMISSIONS[permission]];
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  operator: "Operator",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including users and Zoho clients",
  operator: "Connect, refresh, verify and revoke connections",
  viewer: "Read-only: sees status and history, never secrets",
};
