// Run by scenario 4 in a child process (tsx --conditions=react-server, like `npm run rekey`):
// the CSV export's own pipeline — auditEventBatches → auditCsvStream, read to the end — over
// the scenario's database, without HTTP, so the export's time can be told apart from the cost
// of serving it. Prints one line of JSON. Either engine: CONSOLE_DATABASE_FILE or CONSOLE_DATABASE_URL.
async function main() {
  const { auditEventBatches } = await import("@/lib/audit/query");
  const { auditCsvStream } = await import("@/lib/audit/csv");
  // Memory of this process while the pipeline runs: does it hold rows, or only churn?
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 50);
  const started = performance.now();
  const reader = auditCsvStream(auditEventBatches({})).getReader();
  let chunks = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks += 1;
    bytes += value.length;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const MiB = 1024 * 1024;
  console.log(JSON.stringify({ seconds, chunks, bytes, rssGrowthMiB: (rssPeak - rssStart) / MiB, heapPeakMiB: heapPeak / MiB }));
  // A PostgreSQL pool keeps the process alive until it is closed.
  const { closeDatabase } = await import("@/db/client");
  await closeDatabase();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
