import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    regex: String.raw`^(next|react|react-dom|server-only|drizzle-orm|better-sqlite3)(/|$)`,
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

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const layers = [
  { files: ["lib/**/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS) },
  { files: ["db/**/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS, LIB_ONLY_CONFIG) },
  { files: ["lib/zoho/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS, ...ZOHO_IS_PURE, zohoStaysHome(1)) },
  { files: ["lib/zoho/*/**/*.{ts,tsx}"], rules: restrict(NOT_APP_OR_COMPONENTS, ...ZOHO_IS_PURE, zohoStaysHome(2)) },
  { files: ["components/**/*.{ts,tsx}"], rules: restrict(NOT_DB) },
  { files: ["sandbox/**/*.{ts,tsx}"], rules: restrict(SANDBOX_STANDS_ALONE) },
];

const config = [
  ...nextVitals,
  ...nextTs,
  ...layers,
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
];

export default config;
