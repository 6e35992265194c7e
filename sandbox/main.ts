// `npm run sandbox`: reads the environment and serves until interrupted.
import { startSandbox } from "./server";

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const host = process.env.SANDBOX_HOST || "127.0.0.1";

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SANDBOX_PORT is not a port: ${process.env.SANDBOX_PORT}`);
  const sandbox = await startSandbox({
    port,
    host,
    stateFile: process.env.SANDBOX_STATE_FILE || ".data/sandbox-state.json",
    consoleUrl: process.env.SANDBOX_CONSOLE_URL || "http://localhost:3000",
    publicUrl: process.env.SANDBOX_PUBLIC_URL || undefined,
  });
  console.log(`[sandbox] Zoho sandbox listening on ${sandbox.url}`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err) => {
  console.error(`[sandbox] could not start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
