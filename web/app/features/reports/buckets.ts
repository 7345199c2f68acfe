const DAY_MS = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const label = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every bucket of a window, empty ones included: each day, or each week from its Monday (as PostgreSQL's date_trunc). */
export function bucketsOf(from: string, to: string, interval: 'day' | 'week'): string[] {
  let start = day(from);
  if (interval === 'week') start -= ((new Date(start).getUTCDay() + 6) % 7) * DAY_MS;
  const step = interval === 'week' ? 7 * DAY_MS : DAY_MS;
  const out: string[] = [];
  for (let t = start; t <= day(to); t += step) out.push(label(t));
  return out;
}

/** Rows of (bucket, key, count) as one series per key over the buckets. */
export function seriesOf<R extends { bucket: string }>(rows: R[], buckets: string[], key: (r: R) => string, value: (r: R) => number) {
  const names = [...new Set(rows.map(key))].sort();
  return names.map((name) => ({ name, values: buckets.map((b) => rows.filter((r) => r.bucket === b && key(r) === name).reduce((sum, r) => sum + value(r), 0)) }));
}

/** A duration for people: 42 s, 12 min, 3.5 h, 2.1 days. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
