import { Link, useFetcher } from '@remix-run/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Conversation } from '~/api.server';
import type { loader } from './inbox.route';
import { appendPage, mergePages, nextCursorOf, type ListPage } from './list-pages';
import { ConversationRow } from './list-row';

interface Props {
  conversations: Conversation[];
  nextCursor: string | null;
  /** The inbox state as a query string ("" or "?…"): rows link with it so filters survive. */
  search: string;
  filtered: boolean;
}

/**
 * The conversation list with keyset "Load more". Mount it keyed by `search`, so changing a
 * filter starts again from the first page.
 */
export function ConversationList({ conversations, nextCursor, search, filtered }: Props) {
  const more = useFetcher<typeof loader>();
  const [pages, setPages] = useState<ListPage<Conversation>[]>([]);
  const requested = useRef<string | null>(null);

  useEffect(() => {
    const cursor = requested.current;
    if (more.state !== 'idle' || !more.data || !cursor) return;
    const { conversations: rows, nextCursor: next } = more.data;
    setPages((current) => appendPage(current, { cursor, conversations: rows, nextCursor: next }));
    requested.current = null;
  }, [more.state, more.data]);

  const rows = useMemo(() => mergePages(conversations, pages), [conversations, pages]);
  const cursor = nextCursorOf(nextCursor, pages);

  const loadMore = () => {
    if (!cursor || more.state !== 'idle') return;
    requested.current = cursor;
    const params = new URLSearchParams(search);
    params.set('cursor', cursor);
    more.load(`/inbox?${params}`);
  };

  if (rows.length === 0) {
    return (
      <div className="empty muted" data-testid="conversation-list-empty">
        <p>{filtered ? 'No conversations match these filters.' : 'No conversations here.'}</p>
        {filtered ? (
          <Link to="/inbox" data-testid="clear-filters-empty">
            Clear filters
          </Link>
        ) : null}
      </div>
    );
  }
  return (
    <div className="conversation-scroll">
      <ul className="conversation-list" data-testid="conversation-list" aria-label="Conversations">
        {rows.map((conversation) => (
          <li key={conversation.id}>
            <ConversationRow conversation={conversation} search={search} />
          </li>
        ))}
      </ul>
      {cursor ? (
        <button
          type="button"
          className="button load-more"
          onClick={loadMore}
          disabled={more.state !== 'idle'}
          data-testid="load-more"
        >
          {more.state !== 'idle' ? 'Loading…' : 'Load more'}
        </button>
      ) : rows.length > 50 ? (
        <p className="muted small list-end">That is all of them.</p>
      ) : null}
    </div>
  );
}
