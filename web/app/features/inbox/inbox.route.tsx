import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, Outlet, useLoaderData, useParams, useRouteError } from '@remix-run/react';
import { api } from '~/api.server';
import { errorMessage } from '~/shared/error-message';
import { unwrap, withAuth } from '../auth/auth.server';
import { ConversationList } from './conversation-list';
import { inboxOptions, type InboxOptions } from './inbox-api.server';
import { activeFilterCount, inboxSearch, parseInboxQuery, toListParams } from './inbox-query';
import inboxStyles from './inbox-list.css?url';
import { InboxToolbar } from './inbox-toolbar';
import { InboxShortcuts } from './keyboard-shortcuts';
import { loadFirstRows, PAGE_SIZE, parseShown } from './list-pages';

export const meta: MetaFunction = () => [{ title: 'Inbox · Switchboard' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: inboxStyles }];

const NO_OPTIONS: InboxOptions = { users: [], teams: [], labels: [] };

/**
 * The list for the query string's state: its first page, one API call. With `shown` (only the
 * list's "Load more" fetcher sends it) this is the first `shown` rows instead, walked page by page,
 * so a revalidation refreshes every row on screen at once; the menus' options are skipped.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const query = parseInboxQuery(params);
  const shown = parseShown(params.get('shown'));
  const authed = await withAuth(request, (token) => {
    const listParams = toListParams(query);
    return Promise.all([
      shown
        ? loadFirstRows(shown, (limit, cursor) => api.listConversations(token, { ...listParams, limit, cursor })).then(
            (rows) => ({ ...rows, counts: null }),
          )
        : api.listConversations(token, { ...listParams, limit: PAGE_SIZE }),
      shown ? NO_OPTIONS : inboxOptions(token),
    ]);
  });
  const [list, options] = unwrap(authed);
  return data(
    {
      query,
      conversations: list.conversations,
      nextCursor: list.nextCursor ?? null,
      counts: list.counts ?? null,
      shown: shown ?? PAGE_SIZE,
      options,
    },
    { headers: authed.headers },
  );
}

export default function InboxRoute() {
  const { query, conversations, nextCursor, counts, options } = useLoaderData<typeof loader>();
  const { conversationId } = useParams();
  const search = inboxSearch(query);
  return (
    <div className={conversationId ? 'inbox has-open' : 'inbox'} data-testid="inbox">
      <aside className="sidebar inbox-sidebar" aria-label="Conversation list">
        <InboxToolbar query={query} counts={counts} options={options} />
        <ConversationList
          key={search}
          conversations={conversations}
          nextCursor={nextCursor}
          search={search}
          filtered={activeFilterCount(query) > 0}
        />
      </aside>
      <main className="pane">
        {conversationId ? (
          // Shown only when the list is collapsed (narrow screens); keeps the filters.
          <Link to={`/inbox${search}`} className="back-link" data-testid="back-to-list">
            ← Conversations
          </Link>
        ) : null}
        <Outlet />
      </main>
      <InboxShortcuts />
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <main className="error-page" data-testid="inbox-error">
      <h1>The inbox could not be loaded</h1>
      <p>{errorMessage(useRouteError())}</p>
      <p>
        <a href="/inbox">Try again</a>
      </p>
    </main>
  );
}
