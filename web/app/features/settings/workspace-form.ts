import type { BusinessHours, Workspace } from './settings-api.server';

/**
 * The API's default when a workspace sets none (DEFAULT_BUSINESS_HOURS in
 * workflows/automation/calendar.ts): the web app takes its data from the API, never its modules.
 */
export const DEFAULT_HOURS: BusinessHours = { days: [1, 2, 3, 4, 5], openMinute: 9 * 60, closeMinute: 17 * 60 };

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** 540 → "09:00", the value of an `<input type="time">`; 1440 (closing at midnight) → "24:00". */
export const minuteToTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "09:00" → 540; null for anything else. Midnight as a closing time is "24:00" or "00:00". */
export function timeToMinute(value: string, closing = false): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  const minute = h * 60 + min;
  return closing && minute === 0 ? 24 * 60 : minute;
}

/**
 * The PATCH body the form asks for, or the field the API would refuse first. Numbers and times are
 * checked here only for shape; their ranges are the API's to judge, so its message is the one shown.
 */
export function workspacePatch(form: FormData): { body: Partial<Omit<Workspace, 'id'>> } | { field: string; message: string } {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const whole = (name: string) => (/^\d+$/.test(text(name)) ? Number(text(name)) : null);
  const idle = whole('idleAutoCloseMinutes');
  if (idle === null) return { field: 'idleAutoCloseMinutes', message: 'a whole number of minutes' };
  const ticketDays = whole('ticketAutoCloseDays');
  if (ticketDays === null) return { field: 'ticketAutoCloseDays', message: 'a whole number of days' };
  const openMinute = timeToMinute(text('open'));
  if (openMinute === null) return { field: 'businessHours.openMinute', message: 'a time, like 09:00' };
  const closeMinute = timeToMinute(text('close'), true);
  if (closeMinute === null) return { field: 'businessHours.closeMinute', message: 'a time, like 17:00' };
  const days = form
    .getAll('day')
    .map(Number)
    .filter((d) => Number.isInteger(d) && d >= 0 && d <= 6);
  if (days.length === 0) return { field: 'businessHours.days', message: 'pick at least one open day' };
  return {
    body: {
      name: text('name'),
      timezone: text('timezone'),
      businessHours: { days: [...new Set(days)].sort((a, b) => a - b), openMinute, closeMinute },
      idleAutoCloseMinutes: idle,
      ticketAutoCloseDays: ticketDays,
      csatEnabled: form.get('csatEnabled') === 'on',
    },
  };
}
