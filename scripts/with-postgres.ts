// Runs a command beside a throw-away PostgreSQL cluster: `tsx scripts/with-postgres.ts -- <command>`.
// The command gets the admin URL in CONSOLE_TEST_POSTGRES_URL and creates its own databases. A
// URL already in the environment wins, so a developer can point the tests at their own server.
import { spawn } from "node:child_process";
import os from "node:os";
import { startCluster, type Cluster } from "../test/postgres/cluster";

const ENV_NAME = "CONSOLE_TEST_POSTGRES_URL";

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--") args.shift();
  if (args.length === 0) {
    console.error("usage: tsx scripts/with-postgres.ts -- <command> [args…]");
    process.exit(2);
  }

  let cluster: Cluster | undefined;
  if (process.env[ENV_NAME]) {
    console.log(`[postgres] using ${ENV_NAME} from the environment`);
  } else {
    cluster = await startCluster();
    console.log(`[postgres] throw-away cluster on ${cluster.host}:${cluster.port}`);
  }

  const env = cluster ? { ...process.env, [ENV_NAME]: cluster.url("postgres") } : process.env;
  const child = spawn(args[0], args.slice(1), { stdio: "inherit", env });
  // The child decides how to end; the cluster must outlive it, so we only pass signals on.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));

  const code = await new Promise<number>((resolve) => {
    child.once("error", (error) => {
      console.error(`[postgres] could not run ${args[0]}: ${error.message}`);
      resolve(127);
    });
    child.once("exit", (exitCode, signal) => {
      resolve(exitCode ?? 128 + (signal ? os.constants.signals[signal] : 1));
    });
  });
  await cluster?.stop();
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
