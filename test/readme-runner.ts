/**
 * Runs the shell blocks of a README section exactly as written, in a throw-away copy of the
 * project: a temporary folder whose entries link to this checkout's files, except the data
 * folder and `.env.local`, which are its own. So `.data/console.db`, `.data/backups/` and
 * `.env.local` in a command are the copy's, and nothing in the text is rewritten.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = process.cwd();
/** Never linked: the copy has its own data, keys and build output. */
const PRIVATE = /^(\.data|\.env.*|\.git|\.next.*|node_modules\/\.cache|test-results|playwright-report|blob-report|coverage)$/;
const SHELL_LANGS = new Set(["bash", "sh", "shell", "zsh"]);

export interface Section {
  title: string;
  /** Fenced shell blocks, in order, exactly as written. */
  blocks: string[];
}

/** The section under the heading `title` (any level) up to the next heading of the same or a higher level. */
export function readmeSection(markdown: string, title: string): Section | undefined {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, "").trim() === title);
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start])![0].length;
  const blocks: string[] = [];
  let fence: { lang: string; body: string[] } | undefined;
  for (const line of lines.slice(start + 1)) {
    if (fence) {
      if (/^```\s*$/.test(line)) {
        if (SHELL_LANGS.has(fence.lang)) blocks.push(fence.body.join("\n"));
        fence = undefined;
      } else fence.body.push(line);
      continue;
    }
    const heading = /^(#{1,6}) /.exec(line);
    if (heading && heading[1].length <= level) break;
    const open = /^```(\w*)/.exec(line);
    if (open) fence = { lang: open[1].toLowerCase(), body: [] };
  }
  return { title, blocks };
}

export const readReadme = () => fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

export interface Project {
  dir: string;
  /** The copy's database file, where the README's `.data/console.db` points. */
  dbFile: string;
  envFile: string;
  cleanup(): void;
}

/** A fresh copy of the project with `.env.local` holding `env` (as `npm run up` writes it). */
export function makeProject(env: Record<string, string>): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "console-readme-"));
  for (const entry of fs.readdirSync(ROOT)) {
    if (PRIVATE.test(entry)) continue;
    fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  fs.mkdirSync(path.join(dir, ".data"), { mode: 0o700 });
  const envFile = path.join(dir, ".env.local");
  fs.writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
  return { dir, dbFile: path.join(dir, ".data", "console.db"), envFile, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The environment a person's shell would have: no console variables, so `.env.local` decides. */
function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(CONSOLE_|ENCRYPTION_|AUTH_|ZOHO_|LOGIN_|TRUSTED_|NODE_ENV$|VITEST|npm_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: "1" };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the section's blocks in one bash, stopping at the first failing command. */
export function runSection(section: Section, project: Project, timeoutMs = 120_000): RunResult {
  const script = ["set -eo pipefail", ...section.blocks].join("\n");
  const r = spawnSync("bash", ["-c", script], { cwd: project.dir, env: cleanEnv() as NodeJS.ProcessEnv, encoding: "utf8", timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
