import { useEffect, useState } from 'react';

/**
 * Renders a timestamp in the viewer's time zone. The server (and the first client render)
 * use a fixed UTC format so hydration always matches.
 */
export function Time({ value, withDate = false }: { value: string | null; withDate?: boolean }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!value) return null;
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toISOString()}>
      {hydrated ? formatLocal(date, withDate) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`}
    </time>
  );
}

function formatLocal(date: Date, withDate: boolean): string {
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (!withDate && date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}`;
}
