// The sandbox HTTP server: one port, one path prefix per data centre and product.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { handleAccounts } from "./accounts-routes";
import { handleAdmin } from "./admin-api";
import { isDc, sandboxUrls } from "./config";
import type { Ctx } from "./context";
import { handleDevConsole } from "./dev-console";
import { homePage } from "./home-page";
import { errorPage } from "./html";
import { parseRequest, sendHtml, sendJson, type Req } from "./http";
import { handleProduct, type Product } from "./products";
import { SessionStore } from "./sessions";
import { SandboxStore } from "./store";

export interface SandboxOptions {
  port: number;
  host: string;
  stateFile: string;
  consoleUrl: string;
  /** Base URL the sandbox advertises; defaults to http://host:port with the bound port. */
  publicUrl?: string;
}

export interface RunningSandbox {
  url: string;
  close(): Promise<void>;
}

const PRODUCTS = new Set<string>(["desk", "assist", "salesiq", "zohoapis"]);

async function route(ctx: Ctx, req: Req, res: http.ServerResponse): Promise<void> {
  const [first, second, ...rest] = req.segments;
  if (first === undefined) return sendHtml(res, 200, homePage(ctx));
  if (first === "_sandbox") return handleAdmin(ctx, req, res, req.segments.slice(1));
  if (first === "console") return handleDevConsole(ctx, req, res, req.segments.slice(1));
  if (isDc(first)) {
    if (second === "accounts") return handleAccounts(ctx, req, res, first, rest);
    if (second !== undefined && PRODUCTS.has(second)) return handleProduct(ctx, req, res, first, second as Product, rest);
  }
  sendHtml(res, 404, errorPage("404", "Nothing lives at this address. The sandbox home page lists what does."));
}

async function dispatch(ctx: Ctx, raw: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const req = parseRequest(raw);
  try {
    await route(ctx, req, res);
  } catch (err) {
    // Log for the operator; the caller gets a plain answer without internals.
    console.error(`[sandbox] ${req.method} ${req.path} failed:`, err instanceof Error ? err.message : err);
    if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
    else res.destroy();
  }
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const consoleUrl = opts.consoleUrl.replace(/\/+$/, "");
  const store = new SandboxStore(opts.stateFile, consoleUrl);
  const ctx: Ctx = { store, sessions: new SessionStore(), urls: sandboxUrls("http://localhost"), consoleUrl };
  const server = http.createServer((req, res) => void dispatch(ctx, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  ctx.urls = sandboxUrls(opts.publicUrl || `http://${hostForUrl(opts.host)}:${port}`);
  return {
    url: ctx.urls.base,
    close: () =>
      new Promise<void>((resolve) => {
        store.flush();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
