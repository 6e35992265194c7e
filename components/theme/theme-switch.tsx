"use client";
import { Monitor, Moon, Sun } from "lucide-react";
import { useSyncExternalStore } from "react";
import { cn } from "@/components/ui/cn";
import { parseTheme, THEME_COOKIE, THEME_MAX_AGE_S, THEMES, type Theme } from "./theme";

const ICONS = { system: Monitor, light: Sun, dark: Moon } as const;
const LABELS = { system: "System", light: "Light", dark: "Dark" } as const;

const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const COOKIE_VALUE = new RegExp(`(?:^|; )${THEME_COOKIE}=([^;]*)`);
const readCookie = (): Theme => parseTheme(COOKIE_VALUE.exec(document.cookie)?.[1]);

function choose(theme: Theme) {
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=${THEME_MAX_AGE_S}; samesite=lax`;
  // The head script's function: applies the class now and keeps following the OS under "system".
  (window as { __applyTheme?: () => void }).__applyTheme?.();
  for (const l of listeners) l();
}

/** System / Light / Dark, remembered in a cookie; `initial` is the cookie as the server read it. */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const theme = useSyncExternalStore(subscribe, readCookie, () => initial);
  return (
    <div role="radiogroup" aria-label="Colour theme" className="flex items-center rounded-md p-0.5 ring-1 ring-slate-200" data-testid="theme-switch">
      {THEMES.map((t) => {
        const Icon = ICONS[t];
        const on = theme === t;
        return (
          <button
            key={t}
            type="button"
            role="radio"
            aria-checked={on}
            title={`${LABELS[t]} theme`}
            onClick={() => choose(t)}
            className={cn(
              "rounded p-1.5 focus-visible:outline-2 focus-visible:outline-indigo-600",
              on ? "bg-slate-100 text-slate-900" : "text-slate-500 hover:text-slate-800",
            )}
          >
            <Icon className="h-4 w-4" aria-hidden />
            <span className="sr-only">{LABELS[t]}</span>
          </button>
        );
      })}
    </div>
  );
}
