// Ports and URLs the e2e suite runs on; playwright.config.ts starts both servers with them.
export const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 3100);
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4110);
export const CONSOLE_URL = `http://localhost:${CONSOLE_PORT}`;
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
export const ADMIN_STATE = `.data/e2e-${CONSOLE_PORT}/admin-state.json`;
