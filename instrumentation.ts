// Runs once when the server starts: fail fast on bad configuration, then migrate the database.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHeader } = await import("./lib/peer-address");
  installPeerAddressHeader();
  const { startup } = await import("./lib/startup");
  await startup();
}
