import { describe, expect, it } from 'vitest';
import { minuteToTime, timeToMinute, workspacePatch } from './workspace-form';

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};
const filled = { name: ' Acme ', timezone: 'Europe/Amsterdam', day: ['5', '1', '3'], open: '08:30', close: '00:00', idleAutoCloseMinutes: '60', ticketAutoCloseDays: '3' };

describe('the workspace form', () => {
  it('turns times into minutes, midnight closing into 1440, and back', () => {
    expect(timeToMinute('08:30')).toBe(510);
    expect(timeToMinute('00:00')).toBe(0);
    expect(timeToMinute('00:00', true)).toBe(1440);
    expect(timeToMinute('24:00', true)).toBe(1440);
    expect(timeToMinute('24:30')).toBeNull();
    expect(timeToMinute('8:30')).toBeNull();
    expect(minuteToTime(510)).toBe('08:30');
    expect(minuteToTime(1440 % 1440)).toBe('00:00');
  });

  it('builds the API patch: sorted open days, trimmed text, the survey switch', () => {
    expect(workspacePatch(form({ ...filled, csatEnabled: 'on' }))).toEqual({
      body: {
        name: 'Acme',
        timezone: 'Europe/Amsterdam',
        businessHours: { days: [1, 3, 5], openMinute: 510, closeMinute: 1440 },
        idleAutoCloseMinutes: 60,
        ticketAutoCloseDays: 3,
        csatEnabled: true,
      },
    });
    expect(workspacePatch(form(filled))).toMatchObject({ body: { csatEnabled: false } });
  });

  it('names the field it cannot read', () => {
    expect(workspacePatch(form({ ...filled, day: [] }))).toEqual({ field: 'businessHours.days', message: 'pick at least one open day' });
    expect(workspacePatch(form({ ...filled, open: 'soon' }))).toMatchObject({ field: 'businessHours.openMinute' });
    expect(workspacePatch(form({ ...filled, idleAutoCloseMinutes: '1.5' }))).toMatchObject({ field: 'idleAutoCloseMinutes' });
    expect(workspacePatch(form({ ...filled, ticketAutoCloseDays: '' }))).toMatchObject({ field: 'ticketAutoCloseDays' });
  });
});
