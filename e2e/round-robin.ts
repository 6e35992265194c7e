// The front of the e2e suite's two-instance pass: `tsx e2e/round-robin.ts <port> <instance URL>…`
// waits until every instance answers /api/health, then listens on <port> (every interface, like
// `next start`) and hands each request to the next instance in turn, as a load balancer without
// sticky sessions does. Like one, it appends the caller's address to X-Forwarded-For; the
// instances trust that hop (TRUSTED_PROXY_HOPS counts it).
import http from "node:http";

const [port, ...targets] = process.argv.slice(2);
if (!port || targets.length === 0) {
  console.error("usage: tsx e2e/round-robin.ts <port> <instance URL> [<instance URL>…]");
  process.exit(2);
}

async function healthy(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/api/health`)).ok;
  } catch {
    return false;
  }
}

async function main() {
  const deadline = Date.now() + 180_000;
  while (!(await Promise.all(targets.map(healthy))).every(Boolean)) {
    if (Date.now() > deadline) throw new Error(`instances did not become healthy: ${targets.join(", ")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = new URL(targets[next++ % targets.length]);
    const peer = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const forwarded = req.headers["x-forwarded-for"];
    const headers = { ...req.headers, "x-forwarded-for": forwarded ? `${forwarded}, ${peer}` : peer };
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on("error", (e) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`instance ${target.host} did not answer: ${e.message}`);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 5_000;
  server.listen(Number(port), () => console.log(`[round-robin] :${port} → ${targets.join(", ")}`));
}

main().catch((e: unknown) => {
  console.error(`[round-robin] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
