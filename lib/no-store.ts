/**
 * For every answer no cache may keep: tokens and the service API's answers, and what a signed-in
 * person's browser polls or downloads. The one spelling of the header, so none drifts.
 */
export const NO_STORE = { "Cache-Control": "no-store" } as const;
