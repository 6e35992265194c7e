// Runs once when the server starts: fail fast on bad configuration, then migrate the database.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHeader } = await import("./lib/peer-address");
  installPeerAddressHeader();
  // TRACE, undecodable paths and cross-site server actions get a 4xx, not Next's 500 and stack.
  const { installHttpFront } = await import("./lib/http-front");
  installHttpFront();
  const { startup } = await import("./lib/startup");
  await startup();
  // Once started (start-up failures stay plain text on stderr, for whoever starts the console),
  // what Next.js reports with console.error or console.warn is one JSON line in the log.
  const { routeConsoleToLog } = await import("./lib/console-log");
  routeConsoleToLog();
}
