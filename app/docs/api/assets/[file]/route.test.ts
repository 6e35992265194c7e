import { describe, expect, it } from "vitest";
import { GET } from "./route";

const get = (file: string) => GET(new Request(`http://localhost/docs/api/assets/${file}`), { params: Promise.resolve({ file }) });

describe("the docs page's assets", () => {
  it("serves Swagger UI's script", async () => {
    const res = await get("swagger-ui-bundle.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "swagger-ui.css", "../package.json"])("answers 404 for %j", async (file) => {
    const res = await get(file);
    expect(res.status).toBe(404);
  });
});
