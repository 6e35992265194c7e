// Every server action runs through guardedAction (lib/actions.ts): it checks the role on the
// server, validates the input with its zod schema, gives the action a request id of its own and
// audits a refusal. An action that calls lib/ directly skips all four without a test noticing, so
// lint refuses it: a server action is any export of a "use server" module, and any function with
// its own "use server" directive.
import path from "node:path";

const GUARD = "guardedAction";
const isGuardModule = (source) => source === "@/lib/actions" || /(^|\/)lib\/actions$/.test(source);

const isFunction = (node) =>
  node?.type === "FunctionDeclaration" || node?.type === "FunctionExpression" || node?.type === "ArrowFunctionExpression";

const hasUseServer = (statements) =>
  (statements ?? []).some((s) => s.type === "ExpressionStatement" && s.directive === "use server");

/** @type {import("eslint").Rule.RuleModule} */
export const guardedActions = {
  meta: {
    type: "problem",
    docs: { description: "Server actions run through guardedAction, or are named in the allow-list with a reason." },
    schema: [
      {
        type: "object",
        properties: {
          // File (relative to the project, with forward slashes) → the action names that may skip the guard.
          allow: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unguarded:
        "Server action `{{name}}` does not call guardedAction: it would skip the role check, input validation, request id and refusal audit. Wrap its body in guardedAction (lib/actions.ts), or name it in the allow-list in eslint.config.mjs with the reason.",
      opaque:
        "Export each server action where it is defined, as an async function: lint cannot see whether a re-exported or computed action calls guardedAction.",
    },
  },
  create(context) {
    const file = path.relative(context.cwd, context.filename).split(path.sep).join("/");
    const allowed = new Set(context.options[0]?.allow?.[file] ?? []);
    const guardNames = new Set();
    const guarded = new Set();
    /** Action function → what to report it as (an exported one with its own directive is seen twice). */
    const actions = new Map();
    let serverModule = false;

    const check = (fn, name, report = fn) => {
      if (!allowed.has(name)) actions.set(fn, { name, report });
    };

    return {
      Program(node) {
        serverModule = hasUseServer(node.body);
      },
      ImportDeclaration(node) {
        if (!isGuardModule(node.source.value)) return;
        for (const s of node.specifiers) {
          if (s.type === "ImportSpecifier" && (s.imported.name ?? s.imported.value) === GUARD) guardNames.add(s.local.name);
        }
      },
      CallExpression(node) {
        if (node.callee.type !== "Identifier" || !guardNames.has(node.callee.name)) return;
        for (let p = node.parent; p; p = p.parent) if (isFunction(p)) guarded.add(p);
      },
      ":function"(node) {
        // An inline action: `async function save() { "use server"; … }` inside a component.
        if (node.body.type === "BlockStatement" && hasUseServer(node.body.body)) check(node, node.id?.name ?? "(inline action)");
      },
      ExportNamedDeclaration(node) {
        if (!serverModule || node.exportKind === "type") return;
        const d = node.declaration;
        if (!d) {
          if (node.specifiers.some((s) => s.exportKind !== "type")) context.report({ node, messageId: "opaque" });
          return;
        }
        if (d.type === "FunctionDeclaration") return check(d, d.id.name);
        if (d.type !== "VariableDeclaration") return; // types and interfaces
        for (const v of d.declarations) {
          const name = v.id.type === "Identifier" ? v.id.name : "(pattern)";
          if (isFunction(v.init)) check(v.init, name, v);
          else context.report({ node: v, messageId: "opaque" });
        }
      },
      ExportDefaultDeclaration(node) {
        if (!serverModule) return;
        if (isFunction(node.declaration)) check(node.declaration, "default");
        else context.report({ node, messageId: "opaque" });
      },
      ExportAllDeclaration(node) {
        if (serverModule && node.exportKind !== "type") context.report({ node, messageId: "opaque" });
      },
      "Program:exit"() {
        for (const [fn, { name, report }] of actions) {
          if (!guarded.has(fn)) context.report({ node: report, messageId: "unguarded", data: { name } });
        }
      },
    };
  },
};

export const consolePlugin = { rules: { "guarded-actions": guardedActions } };
