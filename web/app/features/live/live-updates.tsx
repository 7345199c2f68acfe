import { useMatches, useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { publishLive, type LiveEventName } from './live-events';
import { laneFor, type LiveEventData, type ScreenContext } from './live-relevance';
import { RevalidationScheduler } from './live-scheduler';

type LiveState = 'connecting' | 'live' | 'offline';

const RECONNECT_MS = 5_000;
const EVENT_NAMES: LiveEventName[] = ['conversation', 'message', 'note'];
/** Ack-to-screen is this wait plus one loader round trip; see live-scheduler.ts. */
const SCHEDULE = { debounceMs: 15, maxWaitMs: 60, slowMs: 2_000, settleTimeoutMs: 3_000 };

/**
 * Subscribes to the API's server-sent events and revalidates the page's loaders when an event
 * concerns what the page shows. The browser retries dropped connections itself (sending
 * Last-Event-ID); a refused one (e.g. an expired token) is closed, so we revalidate (which
 * refreshes the token) and reconnect from the last event seen.
 */
export function LiveUpdates({ url, accessToken }: { url: string; accessToken: string }) {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  const screen = useScreenContext();
  const connectedBefore = useRef(false);
  const lastEventId = useRef<string | null>(null);
  const [state, setState] = useState<LiveState>('connecting');
  const [attempt, setAttempt] = useState(0);

  const scheduler = useRef<RevalidationScheduler>();
  scheduler.current ??= new RevalidationScheduler(() => revalidateRef.current(), SCHEDULE);
  useEffect(() => () => scheduler.current?.dispose(), []);

  // A revalidation this component started has landed (or been merged into a navigation).
  const wasLoading = useRef(false);
  useEffect(() => {
    if (revalidator.state === 'loading') wasLoading.current = true;
    else if (wasLoading.current) {
      wasLoading.current = false;
      scheduler.current?.settled();
    }
  }, [revalidator.state]);

  useEffect(() => {
    const eventsUrl = new URL(url);
    eventsUrl.searchParams.set('access_token', accessToken);
    if (lastEventId.current) eventsUrl.searchParams.set('since', lastEventId.current);
    const source = new EventSource(eventsUrl);
    let reconnect: ReturnType<typeof setTimeout> | undefined;

    const onEvent = (name: LiveEventName) => (raw: MessageEvent<string>) => {
      if (raw.lastEventId) lastEventId.current = raw.lastEventId;
      let event: LiveEventData;
      try {
        event = JSON.parse(raw.data) as LiveEventData;
      } catch {
        return scheduler.current?.request('now');
      }
      publishLive(name, event);
      const lane = laneFor(event, screen.current);
      if (lane) scheduler.current?.request(lane);
    };
    const handlers = EVENT_NAMES.map((name) => [name, onEvent(name)] as const);
    for (const [name, handler] of handlers) source.addEventListener(name, handler);

    source.addEventListener('open', () => {
      setState('live');
      if (connectedBefore.current) scheduler.current?.request('now'); // catch up on anything missed
      connectedBefore.current = true;
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return setState('connecting');
      setState('offline');
      reconnect = setTimeout(() => {
        revalidateRef.current();
        setAttempt((n) => n + 1);
      }, RECONNECT_MS);
    });

    return () => {
      clearTimeout(reconnect);
      for (const [name, handler] of handlers) source.removeEventListener(name, handler);
      source.close();
    };
  }, [url, accessToken, attempt, screen]);

  return (
    <span className={`live live-${state}`} data-testid="live-status" data-state={state}>
      {state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline'}
    </span>
  );
}

/** What is on screen, kept in a ref so the event handlers always see the current page. */
function useScreenContext() {
  const matches = useMatches();
  const ref = useRef<ScreenContext>({ openConversationId: null, list: null, viewerId: null, onScreen: rowOnScreen });
  const inbox = matches.find((m) => m.id === 'inbox')?.data as { query?: ScreenContext['list'] } | undefined;
  const shell = matches.find((m) => m.id === 'shell')?.data as { viewer?: { id: string } } | undefined;
  const simulator = matches.find((m) => m.id === 'simulator')?.data as { conversationId?: string | null } | undefined;
  ref.current = {
    openConversationId: matches.find((m) => m.id === 'conversation')?.params.conversationId ?? simulator?.conversationId ?? null,
    list: inbox?.query ?? null,
    viewerId: shell?.viewer?.id ?? null,
    onScreen: rowOnScreen,
  };
  return ref;
}

const rowOnScreen = (conversationId: string) =>
  document.querySelector(`[data-testid="conversation-row"][data-conversation-id="${CSS.escape(conversationId)}"]`) !== null;
