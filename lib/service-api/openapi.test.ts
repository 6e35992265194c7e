import { Validator } from "@seriousme/openapi-schema-validator";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

/** Every route file under app/api/v1, as the OpenAPI path it serves. */
function routePaths(): string[] {
  const root = path.join(process.cwd(), "app", "api", "v1");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(root, dir).split(path.sep).filter(Boolean);
        out.push(`/api/v1/${rel.map((s) => s.replace(/^\[\.\.\.(.+)\]$/, "{$1}").replace(/^\[(.+)\]$/, "{$1}")).join("/")}`.replace(/\/$/, ""));
      }
    }
  };
  walk(root);
  return out.sort();
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument("http://localhost:3000");

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every route under /api/v1, and nothing else", () => {
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual(routePaths());
  });

  it("documents the stable error shape and the key as a bearer token", () => {
    expect(doc.components?.securitySchemes?.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    const token = doc.paths?.["/api/v1/connections/{id}/token"]?.get;
    expect(Object.keys(token?.responses ?? {})).toEqual(expect.arrayContaining(["200", "401", "403", "409", "410", "429", "503"]));
    expect(JSON.stringify(token?.parameters)).toContain("min_validity");
    expect(JSON.stringify(doc.components?.schemas?.Error)).toContain("upstream_unavailable");
  });
});
