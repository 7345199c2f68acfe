import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Outlet, useLoaderData, useRouteError } from '@remix-run/react';
import { api } from '~/api.server';
import { errorMessage } from '~/shared/error-message';
import { unwrap, withAuth } from '../auth/auth.server';
import { ConversationList, StatusTabs } from './conversation-list';
import { parseStatusTab } from './status-filter';

export const meta: MetaFunction = () => [{ title: 'Inbox · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const tab = parseStatusTab(new URL(request.url).searchParams.get('status'));
  const authed = await withAuth(request, (token) =>
    api.listConversations(token, { status: tab === 'all' ? undefined : tab, limit: 50 }),
  );
  const { conversations } = unwrap(authed);
  return data({ tab, conversations }, { headers: authed.headers });
}

export default function InboxRoute() {
  const { tab, conversations } = useLoaderData<typeof loader>();
  return (
    <div className="inbox">
      <aside className="sidebar">
        <StatusTabs active={tab} />
        <ConversationList conversations={conversations} />
      </aside>
      <main className="pane">
        <Outlet />
      </main>
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
