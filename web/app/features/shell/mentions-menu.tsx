import { useFetcher } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveEvents } from '../live/live-events';
import { MentionsList } from './mentions-list';
import type { loader } from './mentions.route';
import { isSeenKey, markSeen, readSeen } from './mentions-seen';
import { useShell } from './use-viewer';

const PANEL_ID = 'mentions-panel';

/**
 * The top bar's bell: how many notes mentioned the viewer since they last opened the list, kept
 * current by the shell's live stream, and a dropdown of the latest ones linking to their
 * conversations. Data comes from the `/mentions` resource route.
 */
export function MentionsMenu() {
  const { viewer } = useShell();
  const fetcher = useFetcher<typeof loader>();
  const [open, setOpen] = useState(false);
  // The mark as it was when the list was opened, so rows new to the viewer stay highlighted.
  const [seenBefore, setSeenBefore] = useState<string | null>(null);
  // Opening the list reads everything: show zero while the count reloads.
  const [clearing, setClearing] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const fetcherLoad = useRef(fetcher.load);
  fetcherLoad.current = fetcher.load;

  const reload = useCallback(() => {
    const since = readSeen(viewer.id);
    void fetcherLoad.current(since ? `/mentions?since=${encodeURIComponent(since)}` : '/mentions');
  }, [viewer.id]);

  useEffect(reload, [reload]);
  useEffect(() => {
    if (fetcher.state === 'idle') setClearing(false);
  }, [fetcher.state]);
  // Another tab opened the list.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => isSeenKey(e.key, viewer.id) && reload();
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [reload, viewer.id]);

  useLiveEvents((name, event) => {
    if (name === 'note' && event.note?.mentions.includes(viewer.id)) reload();
  });

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close(true);
    const onDown = (e: MouseEvent) => !root.current?.contains(e.target as Node) && close(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open, close]);

  const mentions = fetcher.data?.mentions ?? [];
  const unread = clearing ? 0 : (fetcher.data?.unread ?? 0);

  const toggle = () => {
    if (open) return close(false);
    setSeenBefore(readSeen(viewer.id));
    setOpen(true);
    const newest = mentions[0]?.createdAt;
    if (newest && unread > 0) {
      markSeen(viewer.id, newest);
      setClearing(true);
      reload();
    }
  };

  return (
    <div className="mentions" ref={root}>
      <button
        ref={button}
        type="button"
        className="button ghost mentions-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={PANEL_ID}
        aria-label={unread ? `Mentions, ${unread} unread` : 'Mentions'}
        data-testid="mentions-button"
        data-unread={unread}
        data-loaded={fetcher.data !== undefined}
        onClick={toggle}
      >
        <BellIcon />
        <span className="mentions-label">Mentions</span>
        {unread > 0 ? (
          <span className="mentions-count" data-testid="mentions-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section id={PANEL_ID} className="mentions-panel" aria-label="Recent mentions">
          <h2 className="mentions-title">Mentions</h2>
          {fetcher.data ? (
            <MentionsList mentions={mentions} seenBefore={seenBefore} error={fetcher.data.error} onPick={() => close(false)} />
          ) : (
            <p className="muted mentions-empty">Loading…</p>
          )}
        </section>
      ) : null}
    </div>
  );
}

function BellIcon() {
  return (
    <svg className="mentions-bell" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0"
      />
    </svg>
  );
}
