/**
 * The tables lib/ queries, from the engine this process runs on. lib/ is typed against the SQLite
 * schema; the PostgreSQL one gives rows of the same shapes (./pg-columns), and
 * schema-parity.test.ts keeps the two equal table by table.
 */
import { engineOf } from "./engine";
import * as pg from "./schema-pg";
import * as sqlite from "./schema-sqlite";

export * from "./enums";
export type { ApiKeyRow, AuditEventRow, ConnectLinkRow, ConnectionRow, OauthAttemptRow, UserRow, ZohoClientRow } from "./schema-sqlite";

const active = (engineOf() === "postgres" ? pg : sqlite) as unknown as typeof sqlite;

export const users = active.users;
export const loginThrottle = active.loginThrottle;
export const auditEvents = active.auditEvents;
export const zohoClients = active.zohoClients;
export const oauthAttempts = active.oauthAttempts;
export const connections = active.connections;
export const refreshTokenBudgets = active.refreshTokenBudgets;
export const tokenMints = active.tokenMints;
export const refreshTokenLives = active.refreshTokenLives;
export const refresherRuns = active.refresherRuns;
export const apiKeys = active.apiKeys;
export const apiKeyConnections = active.apiKeyConnections;
export const apiKeyUsage = active.apiKeyUsage;
export const apiKeyUsageHourly = active.apiKeyUsageHourly;
export const apiRateBuckets = active.apiRateBuckets;
export const refresherClaims = active.refresherClaims;
export const consoleInstances = active.consoleInstances;
export const tokenRejections = active.tokenRejections;
export const alertDestinations = active.alertDestinations;
export const alertEvents = active.alertEvents;
export const alertDeliveries = active.alertDeliveries;
export const alertAttempts = active.alertAttempts;
export const incidents = active.incidents;
export const scheduledRuns = active.scheduledRuns;
export const dataVersions = active.dataVersions;
export const connectLinks = active.connectLinks;
export const publicRateBuckets = active.publicRateBuckets;
export const refreshRollups = active.refreshRollups;
export const connectionTags = active.connectionTags;
export const zohoPacing = active.zohoPacing;
export const savedViews = active.savedViews;
