// The landing page: everything a new user needs to try the console against the sandbox.
import { DCS, DC_NAMES } from "./config";
import type { Ctx } from "./context";
import { esc, page } from "./html";
import { DEMO_CLIENT_ID, SEED_PASSWORD } from "./seed";

export function homePage(ctx: Ctx): string {
  const { state } = ctx.store;
  const { urls } = ctx;
  const demo = state.clients[DEMO_CLIENT_ID];
  const demoBlock = demo
    ? `<table>
<tr><th>Client ID</th><td class="mono" id="demo-client-id">${esc(demo.clientId)}</td></tr>
<tr><th>Client secret</th><td class="mono" id="demo-client-secret">${esc(demo.clientSecret)}</td></tr>
<tr><th>Redirect URI</th><td class="mono">${esc(demo.redirectUris.join(", "))}</td></tr>
<tr><th>Accounts server</th><td class="mono">${esc(urls.accounts(demo.homeDc))}</td></tr>
<tr><th>Data centres</th><td>${esc(demo.enabledDcs.join(", "))}</td></tr>
</table>`
    : `<p class="muted">The demo client was deleted; POST /_sandbox/reset restores it.</p>`;
  const users = Object.values(state.users)
    .map((u) => {
      const orgs = ctx.store
        .orgsOf(u.zuid)
        .map((o) => `${o.service}: ${o.name}${o.environment ? ` (${o.environment})` : ""}`)
        .join("; ");
      const password = u.password === SEED_PASSWORD ? SEED_PASSWORD : "(set via admin API)";
      return `<tr><td class="mono">${esc(u.email)}</td><td class="mono">${esc(password)}</td><td>${esc(u.dc)}</td><td>${esc(orgs)}</td></tr>`;
    })
    .join("\n");
  const dcs = DCS.map(
    (dc) => `<tr><td>${esc(dc)}</td><td>${esc(DC_NAMES[dc])}</td><td class="mono">${esc(urls.accounts(dc))}</td><td class="mono">${esc(urls.apiDomain(dc))}</td></tr>`,
  ).join("\n");
  return page(
    "Home",
    `<h1>Zoho sandbox</h1>
<p>A local stand-in for Zoho's accounts servers, Desk, Assist and SalesIQ. Nothing here talks to Zoho.
Register clients in the <a href="/console">API console</a>; tests drive <code>/_sandbox/</code> (see sandbox/README.md).</p>
<h2>Demo client (server-based, multi-DC)</h2>
${demoBlock}
<h2>Demo users</h2>
<table><tr><th>Email</th><th>Password</th><th>DC</th><th>Organisations</th></tr>
${users}
</table>
<h2>Data centres</h2>
<table><tr><th>Location</th><th>Name</th><th>Accounts server</th><th>API domain</th></tr>
${dcs}
</table>
<p class="muted">Server info: <a href="${esc(urls.accounts("us"))}/oauth/serverinfo">${esc(urls.accounts("us"))}/oauth/serverinfo</a></p>`,
    { wide: true },
  );
}
