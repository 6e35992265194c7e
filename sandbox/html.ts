// Page chrome for the sandbox's HTML. Every interpolated value goes through esc(): client names,
// redirect URIs and scopes arrive from strangers.

export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f6f8;color:#1f2933}
header{background:#1f3b57;color:#fff;padding:.75rem 1.5rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none}
header .tag{font-size:.75rem;background:#e8a33d;color:#1f2933;border-radius:3px;padding:0 .4rem}
main{max-width:46rem;margin:2rem auto;background:#fff;border:1px solid #d9dee3;border-radius:6px;padding:1.5rem 2rem}
main.wide{max-width:64rem}
h1{font-size:1.35rem;margin-top:0}
h2{font-size:1.1rem;margin-top:1.75rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
label.inline{display:inline;font-weight:normal;margin:0 0 0 .35rem}
input[type=text],input[type=email],input[type=password],input[type=url],select,textarea{width:100%;padding:.45rem .6rem;border:1px solid #b8c1cb;border-radius:4px;font:inherit}
fieldset{border:1px solid #d9dee3;border-radius:4px;margin:1rem 0;padding:.5rem 1rem}
legend{font-weight:600;padding:0 .3rem}
.choice{margin:.35rem 0}
button{font:inherit;padding:.45rem 1.1rem;border-radius:4px;border:1px solid #1f3b57;background:#1f3b57;color:#fff;cursor:pointer;margin-top:1rem}
button.secondary{background:#fff;color:#1f3b57}
.actions{display:flex;gap:.75rem;justify-content:flex-end}
.error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:.6rem .9rem;border-radius:4px}
.notice{background:#eef6ee;border:1px solid #b9dcb9;padding:.6rem .9rem;border-radius:4px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;border-bottom:1px solid #e4e8ec;padding:.35rem .5rem;vertical-align:top}
ul.scopes li{margin:.3rem 0}
.muted{color:#5f6b76;font-size:.9em}
`;

export function page(title: string, body: string, opts: { wide?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Zoho sandbox</title><style>${STYLE}</style></head>
<body>
<header><a href="/"><strong>Zoho sandbox</strong></a><span class="tag">local, not Zoho</span><a href="/console">API Console</a></header>
<main${opts.wide ? ' class="wide"' : ""}>
${body}
</main>
</body>
</html>`;
}

export function hiddenInputs(fields: Record<string, string | null | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("\n");
}

/** The page Zoho shows when the consent request itself is wrong: no redirect happens. */
export function errorPage(code: string, resolution: string): string {
  return page(
    "Error",
    `<h1>An error occurred</h1>
<p class="error"><strong id="error-code">${esc(code)}</strong></p>
<p>${esc(resolution)}</p>`,
  );
}
