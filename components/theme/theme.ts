// The colour theme: "system" follows the operating system's light/dark setting, the others fix
// it. The choice lives in a cookie so the server can read it and the first paint is right.
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = "theme";
export const THEME_MAX_AGE_S = 400 * 24 * 60 * 60;

export const parseTheme = (v: string | undefined | null): Theme => (THEMES.includes(v as Theme) ? (v as Theme) : "system");

/**
 * Runs in <head> before the body paints (nonce'd for the CSP): puts `dark` on <html> for the
 * stored choice or, under "system", the OS setting, and follows the OS while "system" is chosen.
 * Kept as a string: it must run before React loads.
 */
export const THEME_SCRIPT = `(function(){try{var d=document.documentElement,q=matchMedia("(prefers-color-scheme: dark)");function t(){var m=document.cookie.match(/(?:^|; )${THEME_COOKIE}=(light|dark|system)(?:;|$)/);return m?m[1]:"system"}function a(){var v=t(),k=v==="dark"||(v==="system"&&q.matches);d.classList.toggle("dark",k);d.style.colorScheme=k?"dark":"light";d.dataset.theme=v}a();q.addEventListener("change",a);window.__applyTheme=a}catch(e){}})();`;
