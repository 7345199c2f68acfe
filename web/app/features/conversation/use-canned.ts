import { useFetcher } from '@remix-run/react';
import { useEffect, useMemo, useState } from 'react';
import type { loader } from './canned-responses.route';
import type { Suggestion } from './suggestion-menu';

const DEBOUNCE_MS = 120;
export const CANNED_SEARCH_PATH = '/canned-responses/search';

/** `/shortcut` typed at the very start of the reply opens the canned responses matching it. */
export function useCanned(value: string) {
  const fetcher = useFetcher<typeof loader>();
  const query = /^\/(\S*)$/.exec(value)?.[1];
  const [active, setActive] = useState(0);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  const open = query !== undefined && dismissedFor !== value;

  const { load } = fetcher;
  useEffect(() => {
    if (query === undefined) return;
    const timer = setTimeout(() => load(`${CANNED_SEARCH_PATH}?${new URLSearchParams({ q: query })}`), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, load]);
  useEffect(() => setActive(0), [query]);

  const responses = useMemo(() => {
    const all = fetcher.data?.cannedResponses ?? [];
    // The answer may be for an older query while the next one is in flight: filter it locally too.
    const q = (query ?? '').toLowerCase();
    return all.filter((r) => r.shortcut.toLowerCase().includes(q) || r.content.toLowerCase().includes(q)).slice(0, 8);
  }, [fetcher.data, query]);

  const items: Suggestion[] = responses.map((r) => ({ id: r.id, title: `/${r.shortcut}`, detail: r.content }));
  const loading = fetcher.state !== 'idle' || fetcher.data?.q !== query;
  return {
    open,
    items,
    active: Math.min(active, Math.max(items.length - 1, 0)),
    error: fetcher.data?.error ?? null,
    loading,
    move: (delta: number) => setActive((i) => (items.length ? (i + delta + items.length) % items.length : 0)),
    dismiss: () => setDismissedFor(value),
    /** The text the reply becomes when item `index` is picked. */
    contentAt: (index: number) => responses[index]?.content ?? null,
  };
}
