import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { consolePlugin } from "./eslint-rules/guarded-actions.mjs";

// ---- Layer arrows (see ../shared/ARCHITECTURE.md) ----------------------------------------------
// app → components → lib → lib/zoho, lib → db; the sandbox stands alone. Each group forbids the
// `@/` alias form and the relative form that climbs out of the folder; type-only imports are
// refused too (`no-restricted-imports` does not exempt them). In flat config a later block's
// options replace an earlier one's for the same rule, so every block lists all that applies to it.
const UP = String.raw`(\.\./)+`;

const NOT_APP_OR_COMPONENTS = {
  regex: String.raw`^(@/|${UP})(app|components)(/|$)`,
  message: "lib/ and db/ never import from app/ or components/: arrows point down only. Move the shared code into lib/.",
};

const LIB_ONLY_CONFIG = {
  regex: String.raw`^(@/|${UP})lib/(?!config$)`,
  message: "db/ imports nothing of lib/ but lib/config.",
};

const ZOHO_IS_PURE = [
  {
    regex: String.raw`^(@/|${UP})db(/|$)`,
    message: "lib/zoho is the protocol and knows nothing of the database.",
  },
  {
    regex: String.raw`^@/lib/(?!zoho(/|$))`,
    message: "lib/zoho imports only lib/zoho: it knows nothing of the console's domain.",
  },
  {
    regex: String.raw`^(next|react|react-dom|server-only|drizzle-orm|better-sqlite3|pg)(/|$)`,
    message: "lib/zoho knows nothing of Next.js, React or the database.",
  },
];

// Relative imports that leave lib/zoho: one `../` from lib/zoho/x.ts, two from lib/zoho/dir/x.ts.
const zohoStaysHome = (ups) => ({
  regex: String.raw`^(\.\./){${ups}}(?!zoho(/|$))`,
  message: "lib/zoho imports only lib/zoho: it knows nothing of the console's domain.",
});

const NOT_DB = {
  regex: String.raw`^(@/|${UP})db(/|$)`,
  message: "Components never import db/: take constants and types from their lib/ module (e.g. @/lib/rbac, @/lib/api-keys/input).",
};

const SANDBOX_STANDS_ALONE = {
  regex: String.raw`^(@/|${UP})(app|components|lib|db)(/|$)`,
  message: "The sandbox is a program of its own and never imports from the app; it speaks to it only over HTTP.",
};

// ---- One data layer (db/) ---------------------------------------------------------------------
// Only db/ touches a driver; everything else goes through getDb(), tx() and the dialect module,
// so the same code runs on SQLite and PostgreSQL.
const NO_DRIVER = {
  regex: String.raw`^(better-sqlite3|pg|pg-[a-z-]+|drizzle-orm/(better-sqlite3|node-postgres|sqlite-proxy|pg-core)(/.*)?)$`,
  message: "Only db/ touches a database driver: query through getDb()/tx() from @/db/client, and put engine differences in @/db/dialect.",
};

// drizzle's synchronous SQLite calls (`.get()`, `.all()`, `.run()` with no argument) do not exist
// on PostgreSQL: await the query builder instead, and take changed rows from `.returning()`.
const NO_SYNC_QUERIES = {
  selector: "CallExpression[arguments.length=0][callee.type='MemberExpression'][callee.property.name=/^(get|all|run)$/]",
  message: "Await the query instead of .get()/.all()/.run() (SQLite-only); count changed rows with .returning().",
};

// ---- Forms ----------------------------------------------------------------------------------------
// A submit button that is sending shows it one way: SubmitButton (components/ui/submit-button.tsx)
// disables itself, spins, is aria-busy and says what it does. A submit button choosing its own
// "Saving…" by condition does only the last of these.
// (esquery's relative `:has(> a > b)` does not chain, hence the nested `:has`.)
const SUBMIT_BUTTON = String.raw`JSXElement:has(> JSXOpeningElement[name.name=/^[Bb]utton$/]:has(> JSXAttribute[name.name='type']:matches([value.value='submit'], [value.expression.value='submit'])))`;
const PENDING_WORDS = String.raw`:matches(Literal[value=/(…|\.\.\.)\s*$/], TemplateElement[value.raw=/(…|\.\.\.)\s*$/])`;
const HAND_ROLLED_PENDING = {
  selector: `${SUBMIT_BUTTON} :matches(ConditionalExpression, LogicalExpression) ${PENDING_WORDS}`,
  message: "A form's submit button shows that it is sending through SubmitButton (components/ui/submit-button.tsx, with pending and pendingLabel), not its own pending words.",
};

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const layers = [
  { files: ["lib/**/*.{ts,tsx}", "auth.ts", "scripts/**/*.{ts,mts}"], rules: restrict(NOT_APP_OR_COMPONENTS, NO_DRIVER) },
  { files: ["app/**/*.{ts,tsx}"], rules: restrict(NO_DRIVER) },
  { files: ["db/**/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS, LIB_ONLY_CONFIG) },
  { files: ["lib/zoho/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS, ...ZOHO_IS_PURE, zohoStaysHome(1)) },
  { files: ["lib/zoho/*/**/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS, ...ZOHO_IS_PURE, zohoStaysHome(2)) },
  { files: ["components/**/*.{ts,tsx}"], rules: restrict(NOT_DB, NO_DRIVER) },
  { files: ["sandbox/**/*.{ts,tsx}"], rules: restrict(SANDBOX_STANDS_ALONE) },
  {
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "auth.ts", "scripts/**/*.{ts,mts}"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", NO_SYNC_QUERIES, HAND_ROLLED_PENDING] },
  },
];

// ---- Server actions ------------------------------------------------------------------------------
// Every server action goes through guardedAction (eslint-rules/guarded-actions.mjs). The allow-list
// names each deliberate exception and why.
const serverActions = {
  files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
  ignores: ["**/*.test.ts"],
  plugins: { console: consolePlugin },
  rules: {
    "console/guarded-actions": [
      "error",
      {
        allow: {
          // Sign-in and the first-run set-up run before there is a signed-in user whose role
          // guardedAction could check; sign-out must work for every user, a disabled one too.
          // Each validates its own input and audits what it does.
          "app/(auth)/actions.ts": ["authenticate", "setupAdmin", "signOutAction"],
          // A connect link's owner has no console account: the browser must hold the nonce of the
          // attempt that completed the link; it validates with zod, is rate-limited per address
          // and link, and the binding it saves is audited (lib/connect-links/organisation.ts).
          "app/(public)/connect/organisation/[id]/actions.ts": ["saveOwnerBindingAction"],
        },
      },
    ],
  },
};

// ---- Promises ------------------------------------------------------------------------------------
// Every data function is async: a call whose promise is dropped would skip a permission check's
// refusal or an audit row without a sound. Type-aware, so it reads the types the compiler sees.
const promises = {
  files: ["**/*.{ts,tsx,mts}"],
  ignores: ["sandbox/**", "e2e/**", "bench/**"],
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  rules: {
    "@typescript-eslint/no-floating-promises": "error",
    "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
  },
};

const config = [
  ...nextVitals,
  ...nextTs,
  ...layers,
  serverActions,
  promises,
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
];

export default config;
