/** The Zoho protocol layer: pure, typed, no database and no framework. */
export * from "./data-centres";
export * from "./scope-catalogue";
export * from "./scope-string";
export * from "./client-id";
export * from "./authorize-url";
export * from "./zoho-error";
export * from "./http";
export * from "./token-response";
export * from "./token-client";
export * from "./resource-response";
export * from "./user-info";
export * from "./org-discovery";
export * from "./verify-service";
export * from "./limits";
export * from "./proxy";
export * from "./proxy-advice";
