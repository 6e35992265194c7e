// Round, local ticks for a time axis ("14:00", "Dec 3"), so an axis does not tick at whatever
// instants the data happens to hold. Runs in the browser after mount: local time is the point.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];

/** The step between ticks: the smallest that keeps at most `target` ticks in the span. */
export function tickStep(spanMs: number, target = 6): number {
  return STEPS.find((s) => spanMs / s <= target) ?? STEPS[STEPS.length - 1];
}

/** Ticks from `lo` to `hi` at round local times: multiples of the step, or local midnights. */
export function timeTicks(lo: number, hi: number, target = 6): number[] {
  const step = tickStep(hi - lo, target);
  const ticks: number[] = [];
  if (step < DAY) {
    const offset = -new Date(lo).getTimezoneOffset() * MINUTE;
    for (let t = Math.ceil((lo + offset) / step) * step - offset; t <= hi; t += step) ticks.push(t);
    return ticks;
  }
  const d = new Date(lo);
  d.setHours(0, 0, 0, 0);
  if (d.getTime() < lo) d.setDate(d.getDate() + 1);
  // Calendar days, not 24-hour steps, so a DST change keeps ticks on midnight.
  for (; d.getTime() <= hi; d.setDate(d.getDate() + step / DAY)) ticks.push(d.getTime());
  return ticks;
}
