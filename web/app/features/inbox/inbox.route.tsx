import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, Outlet, useLoaderData, useRouteError } from '@remix-run/react';
import { api } from '~/api.server';
import { env } from '~/env.server';
import { getSession } from '~/session.server';
import { errorMessage } from '~/shared/error-message';
import { unwrap, withAuth } from '../auth/auth.server';
import { LiveUpdates } from '../live/live-updates';
import { ConversationList, StatusTabs } from './conversation-list';
import { parseStatusTab } from './status-filter';

export const meta: MetaFunction = () => [{ title: 'Inbox · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const tab = parseStatusTab(new URL(request.url).searchParams.get('status'));
  const authed = await withAuth(request, (token) =>
    api.listConversations(token, { status: tab === 'all' ? undefined : tab, limit: 50 }),
  );
  const { conversations } = unwrap(authed);
  const session = await getSession(request);
  return data(
    {
      tab,
      conversations,
      viewer: {
        name: session.get('userName') ?? '',
        email: session.get('userEmail') ?? '',
        tenantName: session.get('tenantName') ?? '',
      },
      events: { url: `${env.PUBLIC_API_URL}/v1/events`, accessToken: authed.accessToken },
    },
    { headers: authed.headers },
  );
}

export default function InboxRoute() {
  const { tab, conversations, viewer, events } = useLoaderData<typeof loader>();
  return (
    <div className="app-shell">
      <header className="topbar">
        <span className="brand">Switchboard</span>
        <span className="muted" data-testid="tenant-name">
          {viewer.tenantName}
        </span>
        <LiveUpdates url={events.url} accessToken={events.accessToken} />
        <span className="spacer" />
        <span className="viewer" title={viewer.email} data-testid="viewer-name">
          {viewer.name || viewer.email}
        </span>
        <Link to="/simulator" data-testid="simulator-link">
          Simulator
        </Link>
        <LogoutButton />
      </header>
      <div className="inbox">
        <aside className="sidebar">
          <StatusTabs active={tab} />
          <ConversationList conversations={conversations} />
        </aside>
        <main className="pane">
          <Outlet />
        </main>
      </div>
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
      <LogoutButton />
    </main>
  );
}

function LogoutButton() {
  return (
    <Form method="post" action="/logout">
      <button type="submit" className="button ghost" data-testid="logout-button">
        Log out
      </button>
    </Form>
  );
}
