// Column values that mean "nothing is wrong": a good refresh clears the failure bookkeeping,
// a new consent clears that and the need to re-authorize too.
export const CLEARED_REFRESH_FAILURE = {
  failureCount: 0,
  failureStreak: 0,
  lastErrorKind: null,
  lastErrorMessage: null,
  lastErrorAt: null,
  nextRetryAt: null,
  throttledUntil: null,
} as const;

export const CLEARED_AFTER_CONSENT = { ...CLEARED_REFRESH_FAILURE, reauthReason: null, reauthAt: null, evictedByRef: null } as const;
