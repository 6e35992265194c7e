// Run by scenario 4 in a child process (tsx --conditions=react-server, like `npm run rekey`):
// the CSV export's own pipeline — auditEventBatches → auditCsvStream, read to the end — over
// the scenario's database, without HTTP, so the export's time can be told apart from the cost
// of serving it. Prints one line of JSON.
async function main() {
  const { auditEventBatches } = await import("@/lib/audit/query");
  const { auditCsvStream } = await import("@/lib/audit/csv");
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
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, chunks, bytes }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
