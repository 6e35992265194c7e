export { recordAudit, systemActor, type Actor, type AuditInput } from "./record";
