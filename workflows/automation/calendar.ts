/**
 * Wall-clock arithmetic for `logic.delay` with `until`: a local time in the tenant's zone, and an
 * optional business-hours window. Pure and deterministic (Intl only), because workflow code runs it.
 */

/** Monday to Friday, 09:00 to 17:00 local, until tenants get their own calendar. */
export const DEFAULT_BUSINESS_HOURS = { days: [1, 2, 3, 4, 5], openMinute: 9 * 60, closeMinute: 17 * 60 } as const;
export type BusinessHours = { days: readonly number[]; openMinute: number; closeMinute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone Intl does not know. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The local calendar fields of instant `t` in `timeZone`. */
export function localParts(t: number, timeZone: string) {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday],
  };
}

/** The instant whose local wall time in `timeZone` is the given fields (the earlier one in a fold). */
export function fromLocal(f: { year: number; month: number; day: number; hour: number; minute: number; second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second ?? 0);
  const offsetAt = (t: number) => {
    const p = localParts(t, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  let t = asUtc - offsetAt(asUtc);
  // A second pass settles instants near a DST change, where the first guess used the other offset.
  t = asUtc - offsetAt(t);
  return t;
}

const TIME_OF_DAY = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * When a `delay … until` ends. `until` is an ISO instant with a zone (`…Z`, `…+02:00`), a local
 * date-time or date in `timeZone`, or a time of day (`09:30`, the next one to come). Throws an
 * Error saying what is wrong with an unreadable value.
 */
export function delayUntil(until: string, timeZone: string, now: number, businessHours?: BusinessHours): number {
  const text = until.trim();
  let target: number;
  let m: RegExpExecArray | null;
  if ((m = TIME_OF_DAY.exec(text))) {
    const today = localParts(now, timeZone);
    target = fromLocal({ ...today, hour: Number(m[1]), minute: Number(m[2]), second: 0 }, timeZone);
    if (target <= now) target = fromLocal(addDays(today, 1, Number(m[1]), Number(m[2])), timeZone);
  } else if ((m = LOCAL_DATETIME.exec(text))) {
    target = fromLocal({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 }, timeZone);
  } else if ((m = LOCAL_DATE.exec(text))) {
    target = fromLocal({ year: +m[1], month: +m[2], day: +m[3], hour: 0, minute: 0 }, timeZone);
  } else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    target = Date.parse(text);
  } else {
    throw new Error(`"${until}" is not a time: use 09:30, 2026-12-24T09:00 (in ${timeZone}) or an ISO time with a zone`);
  }
  if (Number.isNaN(target)) throw new Error(`"${until}" is not a valid date`);
  return businessHours ? nextBusinessMoment(Math.max(target, now), timeZone, businessHours) : target;
}

function addDays(p: { year: number; month: number; day: number }, days: number, hour: number, minute: number) {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute, second: 0 };
}

/** `t` itself when it falls within business hours, else the next opening. */
export function nextBusinessMoment(t: number, timeZone: string, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): number {
  if (hours.days.length === 0) throw new Error('business hours need at least one day');
  const p = localParts(t, timeZone);
  const minute = p.hour * 60 + p.minute;
  if (hours.days.includes(p.weekday) && minute >= hours.openMinute && minute < hours.closeMinute) return t;
  // Today's opening is still ahead, or the first business day after today.
  for (let i = 0; i <= 7; i++) {
    const weekday = (p.weekday + i) % 7;
    if (!hours.days.includes(weekday)) continue;
    if (i === 0 && minute >= hours.openMinute) continue;
    return fromLocal(addDays(p, i, Math.floor(hours.openMinute / 60), hours.openMinute % 60), timeZone);
  }
  throw new Error('unreachable: a week always holds a business day');
}

/**
 * `start` plus `ms` of business time: the clock runs only within business hours (or always, with
 * no hours). For SLA targets counted on the workspace's calendar.
 */
export function addBusinessMs(start: number, ms: number, timeZone: string, hours: BusinessHours | null): number {
  if (!hours) return start + ms;
  let t = nextBusinessMoment(start, timeZone, hours);
  let left = ms;
  for (let guard = 0; guard < 3700; guard++) {
    const p = localParts(t, timeZone);
    const close = fromLocal({ ...p, hour: Math.floor(hours.closeMinute / 60), minute: hours.closeMinute % 60, second: 0 }, timeZone);
    if (t + left <= close) return t + left;
    left -= close - t;
    t = nextBusinessMoment(close, timeZone, hours);
  }
  throw new Error('business time beyond ten years');
}

/** Business time between `a` and `b` (b ≥ a), in ms. */
export function businessMsBetween(a: number, b: number, timeZone: string, hours: BusinessHours | null): number {
  if (!hours) return Math.max(0, b - a);
  let total = 0;
  let t = nextBusinessMoment(a, timeZone, hours);
  for (let guard = 0; guard < 3700 && t < b; guard++) {
    const p = localParts(t, timeZone);
    const close = fromLocal({ ...p, hour: Math.floor(hours.closeMinute / 60), minute: hours.closeMinute % 60, second: 0 }, timeZone);
    total += Math.min(close, b) - t;
    t = nextBusinessMoment(close, timeZone, hours);
  }
  return total;
}
