export { recordAudit, systemActor, type Actor, type AuditInput } from "./record";
export type { AuditAction } from "./actions";
