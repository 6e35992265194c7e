"use client";

// Last resort when even the root layout fails; it must render its own <html>.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: 480, margin: "96px auto", textAlign: "center" }}>
        <h1 style={{ fontSize: 18 }}>The console could not load this page</h1>
        <p style={{ color: "#475569", fontSize: 14 }}>
          Try again; if it repeats, check the server log{error.digest ? ` for reference ${error.digest}` : ""}.
        </p>
        <button type="button" onClick={reset} style={{ marginTop: 16, padding: "8px 14px" }}>
          Try again
        </button>
      </body>
    </html>
  );
}
