import { describe, expect, it } from 'vitest';
import { bucketsOf, duration, seriesOf } from './buckets';

describe('report buckets', () => {
  it('lists every day, or every week from its Monday', () => {
    expect(bucketsOf('2026-02-27', '2026-03-02', 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    // 4 March 2026 is a Wednesday.
    expect(bucketsOf('2026-03-04', '2026-03-16', 'week')).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('turns rows into one series per key, zero where a bucket has none', () => {
    const rows = [
      { bucket: '2026-03-01', channel: 'sms', count: 2 },
      { bucket: '2026-03-02', channel: 'email', count: 1 },
      { bucket: '2026-03-02', channel: 'sms', count: 3 },
    ];
    expect(seriesOf(rows, ['2026-03-01', '2026-03-02', '2026-03-03'], (r) => r.channel, (r) => r.count)).toEqual([
      { name: 'email', values: [0, 1, 0] },
      { name: 'sms', values: [2, 3, 0] },
    ]);
  });

  it('says durations the way people read them', () => {
    expect([duration(null), duration(20), duration(600), duration(7200), duration(3 * 86_400)]).toEqual(['–', '20 s', '10 min', '2.0 h', '3.0 days']);
  });
});
