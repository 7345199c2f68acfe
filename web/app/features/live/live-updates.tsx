import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';

type LiveState = 'connecting' | 'live' | 'offline';

const DEBOUNCE_MS = 200;
const RECONNECT_MS = 5_000;

/**
 * Subscribes to the API's server-sent events and revalidates the page's loaders on any event.
 * The browser retries dropped connections itself; a refused one (e.g. expired token) is closed,
 * so we revalidate (which refreshes the token) and reconnect.
 */
export function LiveUpdates({ url, accessToken }: { url: string; accessToken: string }) {
  const { revalidate } = useRevalidator();
  const revalidateRef = useRef(revalidate);
  revalidateRef.current = revalidate;
  const connectedBefore = useRef(false);
  const [state, setState] = useState<LiveState>('connecting');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const eventsUrl = new URL(url);
    eventsUrl.searchParams.set('access_token', accessToken);
    const source = new EventSource(eventsUrl);
    let debounce: ReturnType<typeof setTimeout> | undefined;
    let reconnect: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => revalidateRef.current(), DEBOUNCE_MS);
    };

    source.addEventListener('open', () => {
      setState('live');
      if (connectedBefore.current) refresh(); // catch up on anything missed while offline
      connectedBefore.current = true;
    });
    source.addEventListener('conversation', refresh);
    source.addEventListener('message', refresh);
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return setState('connecting');
      setState('offline');
      reconnect = setTimeout(() => {
        revalidateRef.current();
        setAttempt((n) => n + 1);
      }, RECONNECT_MS);
    });

    return () => {
      clearTimeout(debounce);
      clearTimeout(reconnect);
      source.close();
    };
  }, [url, accessToken, attempt]);

  return (
    <span className={`live live-${state}`} data-testid="live-status" data-state={state}>
      {state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline'}
    </span>
  );
}
