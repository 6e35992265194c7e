import fs from "node:fs/promises";
import path from "node:path";

// Swagger UI's script, served from the installed npm package (its stylesheet is bundled by the
// page): the docs page loads nothing from a CDN. Only this one name is served. A Map, so that
// names an object inherits (__proto__, constructor, toString) are not found either.
const FILES = new Map([["swagger-ui-bundle.js", "text/javascript; charset=utf-8"]]);

export async function GET(_request: Request, ctx: { params: Promise<{ file: string }> }) {
  const { file } = await ctx.params;
  const type = FILES.get(file);
  if (!type) return new Response("Not found", { status: 404 });
  const body = await fs.readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", file));
  return new Response(new Uint8Array(body), { headers: { "Content-Type": type, "Cache-Control": "public, max-age=86400" } });
}
