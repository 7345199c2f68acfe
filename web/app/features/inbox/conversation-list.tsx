import { Link, useFetcher } from '@remix-run/react';
import { useState } from 'react';
import type { Conversation } from '~/api.server';
import type { loader } from './inbox.route';
import { MAX_SHOWN, nextShown, PAGE_SIZE } from './list-pages';
import { ConversationRow } from './list-row';

interface Props {
  conversations: Conversation[];
  nextCursor: string | null;
  /** The inbox state as a query string ("" or "?…"): rows link with it so filters survive. */
  search: string;
  filtered: boolean;
}

/**
 * The conversation list with "Load more". Mount it keyed by `search`, so changing a filter starts
 * again from the first page. Past the first page one fetcher holds the first `shown` rows; Remix
 * revalidates it with the loader, so a live event refreshes every row shown together.
 */
export function ConversationList({ conversations, nextCursor, search, filtered }: Props) {
  const more = useFetcher<typeof loader>();
  const [shown, setShown] = useState(PAGE_SIZE);
  // Until the first "Load more" arrives (and while a longer list loads) the rows already shown stay.
  const list = more.data ?? { conversations, nextCursor };
  const rows = list.conversations;
  // The fetcher also reloads on every live revalidation: only a longer list is "loading more".
  const loadingMore = more.state !== 'idle' && (more.data?.shown ?? PAGE_SIZE) < shown;
  const next = list.nextCursor ? nextShown(shown) : null;

  const loadMore = () => {
    if (next === null || loadingMore) return;
    setShown(next);
    const params = new URLSearchParams(search);
    params.set('shown', String(next));
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
      {next !== null || loadingMore ? (
        <button
          type="button"
          className="button load-more"
          onClick={loadMore}
          disabled={loadingMore}
          data-testid="load-more"
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : list.nextCursor ? (
        <p className="muted small list-end" data-testid="list-capped">
          Showing the first {MAX_SHOWN}. Filter or search to find the rest.
        </p>
      ) : rows.length > PAGE_SIZE ? (
        <p className="muted small list-end">That is all of them.</p>
      ) : null}
    </div>
  );
}
