"use client";
import Script from "next/script";
import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";
import "./swagger-contrast.css";

declare global {
  interface Window {
    SwaggerUIBundle?: (options: Record<string, unknown>) => unknown;
  }
}

/** Swagger UI rendering the console's own OpenAPI document, from files bundled with the console. */
export function SwaggerViewer({ specUrl }: { specUrl: string }) {
  const node = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  // Swagger UI has a dark mode of its own, keyed to html.dark-mode: follow the console's theme
  // (html.dark, which the theme switch may change while the page is open).
  useEffect(() => {
    const html = document.documentElement;
    const follow = () => html.classList.toggle("dark-mode", html.classList.contains("dark"));
    follow();
    const watch = new MutationObserver(follow);
    watch.observe(html, { attributes: true, attributeFilter: ["class"] });
    return () => {
      watch.disconnect();
      html.classList.remove("dark-mode");
    };
  }, []);
  const mount = () => {
    if (!window.SwaggerUIBundle || !node.current) return setFailed(true);
    window.SwaggerUIBundle({
      url: specUrl,
      domNode: node.current,
      // Deep links put an anchor inside each operation's toggle button (nested controls).
      deepLinking: false,
      // Swagger UI's server chooser has a visible caption but no accessible name.
      onComplete: () => node.current?.querySelector("select#servers")?.setAttribute("aria-label", "Server"),
      // The public validator badge would call out to swagger.io.
      validatorUrl: null,
      defaultModelsExpandDepth: 0,
      tryItOutEnabled: false,
    });
  };
  return (
    <>
      <Script src="/docs/api/assets/swagger-ui-bundle.js" strategy="afterInteractive" onReady={mount} onError={() => setFailed(true)} />
      {failed && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The API reference viewer did not load. The document itself is at <a className="underline" href={specUrl}>{specUrl}</a>.
        </p>
      )}
      <div ref={node} role="region" className="swagger-host rounded-lg border border-slate-200 bg-white" aria-label="API reference" />
    </>
  );
}
