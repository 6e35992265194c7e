// /console: the browser developer console. Clients belong to the signed-in sandbox user.
import type { ServerResponse } from "node:http";
import { DCS, isDc } from "./config";
import { checkRedirectUris, createClient, generateSelfClientCode, setEnabledDcs } from "./clients";
import type { Ctx } from "./context";
import { clientListPage, clientPage, newClientPage, type ClientPageExtras, type NewClientForm } from "./dev-console-pages";
import { errorPage } from "./html";
import { readFormBody, redirect, sendHtml, type Req } from "./http";
import type { SandboxClient, SandboxUser } from "./types";
import { InputError } from "./validate";

export async function handleDevConsole(ctx: Ctx, req: Req, res: ServerResponse, segs: string[]): Promise<void> {
  const zuid = ctx.sessions.zuidOf(req);
  const user = zuid ? ctx.store.state.users[zuid] : undefined;
  if (!user) {
    const back = req.method === "GET" ? req.path : "/console";
    return redirect(res, `/us/accounts/signin?serviceurl=${encodeURIComponent(back)}`);
  }
  const form = req.method === "POST" ? await readFormBody(req) : new URLSearchParams();
  if (form === "too_large") return sendHtml(res, 413, errorPage("413", "The form was too large."));
  const [first, id, action] = segs;
  try {
    if (first === undefined && req.method === "GET") return listClients(ctx, res, user);
    if (first === "new" && req.method === "GET") {
      return sendHtml(res, 200, newClientPage(user, { type: "server", name: "", homepage: "", redirectUris: "" }, null));
    }
    if (first === "clients" && id === undefined && req.method === "POST") return addClient(ctx, res, user, form);
    if (first === "clients" && id !== undefined) {
      const client = ctx.store.state.clients[id];
      if (!client || client.ownerZuid !== user.zuid) return sendHtml(res, 404, errorPage("404", "No such client in your console."));
      if (action === undefined && req.method === "GET") return showClient(ctx, res, user, client, {});
      if (req.method === "POST") return clientAction(ctx, res, user, client, action, form);
    }
    sendHtml(res, 404, errorPage("404", "Nothing lives at this address."));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const client = id ? ctx.store.state.clients[id] : undefined;
    if (client) return showClient(ctx, res, user, client, { error: err.message }, 400);
    sendHtml(res, 400, errorPage("Error", err.message));
  }
}

function listClients(ctx: Ctx, res: ServerResponse, user: SandboxUser): void {
  const mine = Object.values(ctx.store.state.clients)
    .filter((c) => c.ownerZuid === user.zuid)
    .sort((a, b) => a.createdAt - b.createdAt);
  sendHtml(res, 200, clientListPage(user, mine));
}

function showClient(ctx: Ctx, res: ServerResponse, user: SandboxUser, client: SandboxClient, extras: ClientPageExtras, status = 200): void {
  sendHtml(res, status, clientPage(user, client, ctx.store.orgsOf(user.zuid).filter((o) => o.dc === client.homeDc), extras));
}

function addClient(ctx: Ctx, res: ServerResponse, user: SandboxUser, form: URLSearchParams): void {
  const input: NewClientForm = {
    type: form.get("type") === "self" ? "self" : "server",
    name: (form.get("name") ?? "").trim().slice(0, 200),
    homepage: (form.get("homepage") ?? "").trim().slice(0, 2000),
    redirectUris: (form.get("redirectUris") ?? "").slice(0, 8000),
  };
  try {
    if (input.type === "server" && !input.name) throw new InputError("Client name is required.");
    if (input.type === "server" && !input.homepage) throw new InputError("Homepage URL is required.");
    const client = createClient(ctx.store, {
      type: input.type as "server" | "self",
      name: input.type === "self" ? "Self Client" : input.name,
      homepage: input.type === "self" ? undefined : input.homepage,
      redirectUris: input.redirectUris.split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
      homeDc: user.dc,
      ownerZuid: user.zuid,
    });
    redirect(res, `/console/clients/${encodeURIComponent(client.clientId)}`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    sendHtml(res, 400, newClientPage(user, input, err.message));
  }
}

function clientAction(ctx: Ctx, res: ServerResponse, user: SandboxUser, client: SandboxClient, action: string | undefined, form: URLSearchParams): void {
  if (action === "dcs" && client.type === "server") {
    const chosen: string[] = form.get("all") ? [...DCS] : form.getAll("dc");
    setEnabledDcs(ctx.store, client, chosen.filter(isDc));
    return showClient(ctx, res, user, client, { notice: `Enabled in: ${client.enabledDcs.join(", ")}` });
  }
  if (action === "redirects" && client.type === "server") {
    client.redirectUris = checkRedirectUris((form.get("redirectUris") ?? "").split(/\r?\n/).map((s) => s.trim()).filter(Boolean));
    ctx.store.changed();
    return showClient(ctx, res, user, client, { notice: "Redirect URIs saved." });
  }
  if (action === "codes" && client.type === "self") {
    const code = generateSelfClientCode(ctx.store, client, {
      scopes: form.get("scope") ?? "",
      minutes: Number(form.get("duration") ?? 3),
      description: (form.get("description") ?? "").slice(0, 500),
      orgId: form.get("org") || undefined,
    });
    return showClient(ctx, res, user, client, { code });
  }
  sendHtml(res, 404, errorPage("404", "Nothing lives at this address."));
}
