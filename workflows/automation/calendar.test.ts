import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessMsBetween, delayUntil, fromLocal, isValidTimeZone, nextBusinessMoment } from './calendar.js';

const iso = (t: number) => new Date(t).toISOString();

describe('delayUntil', () => {
  // Wednesday 2026-11-18 10:00 UTC = 11:00 in Paris (CET, +01:00).
  const now = Date.parse('2026-11-18T10:00:00Z');

  it('takes a time of day as the next one to come in the zone', () => {
    expect(iso(delayUntil('14:30', 'Europe/Paris', now))).toBe('2026-11-18T13:30:00.000Z');
    // 09:00 Paris has passed today: tomorrow.
    expect(iso(delayUntil('09:00', 'Europe/Paris', now))).toBe('2026-11-19T08:00:00.000Z');
  });

  it('reads a local date-time in the zone, and an ISO instant as given', () => {
    expect(iso(delayUntil('2026-12-24T09:00', 'America/New_York', now))).toBe('2026-12-24T14:00:00.000Z');
    expect(iso(delayUntil('2026-12-24', 'Asia/Tokyo', now))).toBe('2026-12-23T15:00:00.000Z');
    expect(iso(delayUntil('2026-12-24T09:00:00+02:00', 'UTC', now))).toBe('2026-12-24T07:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Paris moves to CEST (+02:00) on 2027-03-28.
    expect(iso(fromLocal({ year: 2027, month: 3, day: 29, hour: 9, minute: 0 }, 'Europe/Paris'))).toBe('2027-03-29T07:00:00.000Z');
    expect(iso(fromLocal({ year: 2027, month: 3, day: 27, hour: 9, minute: 0 }, 'Europe/Paris'))).toBe('2027-03-27T08:00:00.000Z');
  });

  it('moves a time outside business hours to the next opening', () => {
    // Saturday 2026-11-21 10:00 Paris → Monday 09:00 Paris.
    expect(iso(delayUntil('2026-11-21T10:00', 'Europe/Paris', now, { days: [1, 2, 3, 4, 5], openMinute: 540, closeMinute: 1020 }))).toBe('2026-11-23T08:00:00.000Z');
    // Wednesday 18:00 → Thursday 09:00; Wednesday 07:00 → the same day's 09:00.
    expect(iso(nextBusinessMoment(Date.parse('2026-11-18T17:00:00Z'), 'Europe/Paris'))).toBe('2026-11-19T08:00:00.000Z');
    expect(iso(nextBusinessMoment(Date.parse('2026-11-18T06:00:00Z'), 'Europe/Paris'))).toBe('2026-11-18T08:00:00.000Z');
    // Within hours: unchanged.
    expect(nextBusinessMoment(now, 'Europe/Paris')).toBe(now);
  });

  it('rejects what it cannot read, and unknown zones', () => {
    expect(() => delayUntil('next tuesday', 'UTC', now)).toThrow(/is not a time/);
    expect(() => delayUntil('25:00', 'UTC', now)).toThrow(/is not a time/);
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('business time', () => {
  const hours = { days: [1, 2, 3, 4, 5], openMinute: 540, closeMinute: 1020 };
  const H = 3_600_000;
  it('counts only open hours, across evenings and weekends', () => {
    // Friday 2026-11-20 16:00 Paris (15:00 UTC) + 2 business hours → Monday 10:00 Paris.
    const fri = Date.parse('2026-11-20T15:00:00Z');
    expect(iso(addBusinessMs(fri, 2 * H, 'Europe/Paris', hours))).toBe('2026-11-23T09:00:00.000Z');
    // Started on Saturday: the clock starts on Monday at 09:00.
    expect(iso(addBusinessMs(Date.parse('2026-11-21T12:00:00Z'), H, 'Europe/Paris', hours))).toBe('2026-11-23T09:00:00.000Z');
    expect(businessMsBetween(fri, Date.parse('2026-11-23T09:00:00Z'), 'Europe/Paris', hours)).toBe(2 * H);
    // Without a calendar, wall-clock time.
    expect(addBusinessMs(fri, H, 'UTC', null)).toBe(fri + H);
    expect(businessMsBetween(fri, fri + H, 'UTC', null)).toBe(H);
  });
});
