export { actorOf, recordAudit, systemActor, type Actor, type UserActor, type AuditInput } from "./record";
export type { AuditAction } from "./actions";
