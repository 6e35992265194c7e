// HTML of the developer console, modelled on Zoho's API console.
import { DCS, DC_NAMES, SELF_CLIENT_CODE_MINUTES } from "./config";
import { esc, page } from "./html";
import type { GrantCode, SandboxClient, SandboxOrg, SandboxUser } from "./types";

function signedInAs(user: SandboxUser): string {
  return `<form method="post" action="/${esc(user.dc)}/accounts/signout" class="muted">Signed in as ${esc(user.email)} (${esc(user.dc)})
<button type="submit" class="secondary">Sign out</button></form>`;
}

export function clientListPage(user: SandboxUser, clients: SandboxClient[]): string {
  const rows = clients
    .map(
      (c) => `<tr><td><a href="/console/clients/${encodeURIComponent(c.clientId)}">${esc(c.name)}</a></td>
<td>${c.type === "self" ? "Self Client" : "Server-based Applications"}</td><td class="mono">${esc(c.clientId)}</td></tr>`,
    )
    .join("\n");
  return page(
    "API Console",
    `<h1>API Console</h1>
${signedInAs(user)}
<p><a href="/console/new">Add client</a></p>
${clients.length ? `<table><tr><th>Client name</th><th>Type</th><th>Client ID</th></tr>${rows}</table>` : `<p>No clients yet.</p>`}`,
    { wide: true },
  );
}

export interface NewClientForm {
  type: string;
  name: string;
  homepage: string;
  redirectUris: string;
}

export function newClientPage(user: SandboxUser, form: NewClientForm, error: string | null): string {
  const checked = (t: string) => (form.type === t ? " checked" : "");
  return page(
    "Add client",
    `<h1>Add client</h1>
${signedInAs(user)}
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/console/clients">
<fieldset><legend>Client type</legend>
<div class="choice"><input type="radio" id="type-server" name="type" value="server"${checked("server")}><label class="inline" for="type-server">Server-based Applications</label></div>
<div class="choice"><input type="radio" id="type-self" name="type" value="self"${checked("self")}><label class="inline" for="type-self">Self Client</label></div>
</fieldset>
<p class="muted">Name, homepage and redirect URIs apply to server-based applications only.</p>
<label for="name">Client name</label>
<input type="text" id="name" name="name" value="${esc(form.name)}">
<label for="homepage">Homepage URL</label>
<input type="url" id="homepage" name="homepage" value="${esc(form.homepage)}">
<label for="redirect-uris">Authorized redirect URIs (one per line)</label>
<textarea id="redirect-uris" name="redirectUris" rows="3">${esc(form.redirectUris)}</textarea>
<div class="actions"><button type="submit">Create</button></div>
</form>`,
  );
}

export interface ClientPageExtras {
  error?: string | null;
  notice?: string | null;
  code?: GrantCode | null;
}

function multiDcForm(c: SandboxClient): string {
  const boxes = DCS.map((dc) => {
    const home = dc === c.homeDc;
    return `<div class="choice"><input type="checkbox" id="dc-${dc}" name="dc" value="${dc}"${c.enabledDcs.includes(dc) ? " checked" : ""}${home ? " disabled" : ""}>
<label class="inline" for="dc-${dc}">${esc(DC_NAMES[dc])} (${dc})${home ? " — home data centre" : ""}</label></div>`;
  }).join("\n");
  return `<h2>Multi-DC</h2>
<p class="muted">Let users whose accounts live in other data centres authorize this client. The client ID and secret stay the same.</p>
<form method="post" action="/console/clients/${encodeURIComponent(c.clientId)}/dcs">
<fieldset><legend>Enabled data centres</legend>
${boxes}
</fieldset>
<div class="actions"><button type="submit" name="all" value="1" class="secondary">Enable all data centres</button><button type="submit">Save data centres</button></div>
</form>
<h2>Authorized redirect URIs</h2>
<form method="post" action="/console/clients/${encodeURIComponent(c.clientId)}/redirects">
<label for="redirect-uris">Authorized redirect URIs (one per line)</label>
<textarea id="redirect-uris" name="redirectUris" rows="3">${esc(c.redirectUris.join("\n"))}</textarea>
<div class="actions"><button type="submit">Save redirect URIs</button></div>
</form>`;
}

function generateCodeForm(c: SandboxClient, orgs: SandboxOrg[], code: GrantCode | null | undefined): string {
  const durations = SELF_CLIENT_CODE_MINUTES.map((m) => `<option value="${m}">${m} minutes</option>`).join("");
  const serviceNames = { desk: "Zoho Desk", assist: "Zoho Assist", salesiq: "Zoho SalesIQ" };
  const orgOptions = orgs
    .map((o) => `<option value="${esc(o.id)}">${esc(serviceNames[o.service])}: ${esc(o.name)}${o.environment ? ` (${esc(o.environment)})` : ""}</option>`)
    .join("");
  const result = code
    ? `<div class="notice" role="status"><p>Code generated. It is valid for ${Math.round((code.expiresAt - code.createdAt) / 60000)} minutes and can be used once.</p>
<p class="mono" id="generated-code">${esc(code.code)}</p></div>`
    : "";
  return `<h2>Generate code</h2>
${result}
<form method="post" action="/console/clients/${encodeURIComponent(c.clientId)}/codes">
<label for="scope">Scope</label>
<input type="text" id="scope" name="scope" placeholder="ZohoAssist.userapi.READ,Desk.tickets.READ" required>
<label for="duration">Time duration</label>
<select id="duration" name="duration">${durations}</select>
<label for="description">Scope description</label>
<input type="text" id="description" name="description">
<label for="org">Organisation</label>
<select id="org" name="org"><option value="">(none)</option>${orgOptions}</select>
<div class="actions"><button type="submit">Create</button></div>
</form>`;
}

export function clientPage(user: SandboxUser, c: SandboxClient, orgs: SandboxOrg[], extras: ClientPageExtras): string {
  return page(
    c.name,
    `<p><a href="/console">← All clients</a></p>
<h1>${esc(c.name)}</h1>
${signedInAs(user)}
${extras.error ? `<p class="error" role="alert">${esc(extras.error)}</p>` : ""}
${extras.notice ? `<p class="notice" role="status">${esc(extras.notice)}</p>` : ""}
<h2>Client secret</h2>
<table>
<tr><th>Client type</th><td>${c.type === "self" ? "Self Client" : "Server-based Applications"}</td></tr>
<tr><th>Client ID</th><td class="mono" id="client-id">${esc(c.clientId)}</td></tr>
<tr><th>Client secret</th><td class="mono" id="client-secret">${esc(c.clientSecret)}</td></tr>
<tr><th>Home data centre</th><td>${esc(DC_NAMES[c.homeDc])} (${esc(c.homeDc)})</td></tr>
${c.homepage ? `<tr><th>Homepage URL</th><td class="mono">${esc(c.homepage)}</td></tr>` : ""}
</table>
${c.type === "self" ? generateCodeForm(c, orgs, extras.code) : multiDcForm(c)}`,
    { wide: true },
  );
}
