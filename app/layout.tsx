import type { Metadata } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { THEME_SCRIPT } from "@/components/theme/theme";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "Zoho OAuth Console", template: "%s · Zoho OAuth Console" },
  description: "Register Zoho OAuth clients, authorize connections and keep their tokens alive.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts puts this request's CSP nonce here; the theme script needs it to run.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The head script sets the theme class and colour scheme on <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
