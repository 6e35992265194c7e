// HTML of the sign-in, organisation chooser and consent screens. Real <label>s and <button>s so
// people and Playwright find controls by their names.
import { DC_NAMES, type Dc } from "./config";
import { esc, hiddenInputs, page } from "./html";
import { describeScope } from "./scopes";
import type { AssistEnvironment, SandboxClient, SandboxOrg, SandboxUser } from "./types";

export function signInPage(dc: Dc, returnTo: string, error: string | null, email: string): string {
  const action = `/${dc}/accounts/signin?serviceurl=${encodeURIComponent(returnTo)}`;
  return page(
    "Sign in",
    `<h1>Sign in to Zoho (sandbox)</h1>
<p class="muted">Accounts server: ${esc(DC_NAMES[dc])} (${esc(dc)}). Demo accounts are listed on the <a href="/">sandbox home page</a>.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="${esc(action)}">
${hiddenInputs({ serviceurl: returnTo })}
<label for="email">Email address</label>
<input type="email" id="email" name="email" autocomplete="username" required value="${esc(email)}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`,
  );
}

const ENV_LABELS: Record<AssistEnvironment, string> = {
  production: "Production",
  sandbox: "Sandbox",
  developer: "Developer",
};

export interface ConsentView {
  dc: Dc;
  client: SandboxClient;
  user: SandboxUser;
  hidden: Record<string, string>;
}

export function orgChooserPage(view: ConsentView, orgs: SandboxOrg[], error: string | null): string {
  const groups = (Object.keys(ENV_LABELS) as AssistEnvironment[])
    .map((env) => {
      const inEnv = orgs.filter((o) => (o.environment ?? "production") === env);
      if (inEnv.length === 0) return "";
      const radios = inEnv
        .map(
          (o) => `<div class="choice"><input type="radio" id="org-${esc(o.id)}" name="assist_org" value="${esc(o.id)}" required>
<label class="inline" for="org-${esc(o.id)}">${esc(o.name)}</label></div>`,
        )
        .join("\n");
      return `<fieldset><legend>${ENV_LABELS[env]}</legend>\n${radios}\n</fieldset>`;
    })
    .join("\n");
  return page(
    "Choose an organisation",
    `<h1>Choose an organisation</h1>
<p><strong>${esc(view.client.name)}</strong> asks for access to Zoho Assist. The access you grant is bound to the one organisation you choose.</p>
<p class="muted">Signed in as ${esc(view.user.email)}</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/${esc(view.dc)}/accounts/oauth/v2/auth">
${hiddenInputs(view.hidden)}
${groups}
<div class="actions"><button type="submit">Submit</button></div>
</form>`,
  );
}

export function consentPage(view: ConsentView, scopes: string[], org: SandboxOrg | null, offline: boolean): string {
  const items = scopes.map((s) => `<li>${esc(describeScope(s))} <code>${esc(s)}</code></li>`).join("\n");
  const orgLine = org
    ? `<p>Organisation: <strong>${esc(org.name)}</strong> (${esc(ENV_LABELS[org.environment ?? "production"])})</p>`
    : "";
  return page(
    "Authorize",
    `<h1>${esc(view.client.name)} would like to access your Zoho account</h1>
<p class="muted">Signed in as ${esc(view.user.email)} · data centre ${esc(DC_NAMES[view.dc])} (${esc(view.dc)})</p>
${orgLine}
<h2>The application will be able to</h2>
<ul class="scopes">
${items}
</ul>
${offline ? `<p class="muted">The application keeps access while you are signed out (offline access) until you revoke it.</p>` : ""}
<form method="post" action="/${esc(view.dc)}/accounts/oauth/v2/auth">
${hiddenInputs(view.hidden)}
<div class="actions">
<button type="submit" class="secondary" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="accept">Accept</button>
</div>
</form>`,
  );
}
