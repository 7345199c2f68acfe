import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, NavLink, Outlet, useLoaderData, useRouteError } from '@remix-run/react';
import { api } from '~/api.server';
import { env } from '~/env.server';
import { getSession } from '~/session.server';
import { errorMessage } from '~/shared/error-message';
import { unwrap, withAuth } from '../auth/auth.server';
import { LiveUpdates } from '../live/live-updates';
import { MentionsMenu } from './mentions-menu';
import { isAdminRole, mayReadReports } from './roles';
import { mayReadAutomations } from '../automations/automation-permissions';

/**
 * The signed-in frame every workspace page shares: navigation, the live-updates connection and
 * who is signed in. Child routes read it with `useViewer()`.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const authed = await withAuth(request, (token) => api.me(token));
  const me = unwrap(authed);
  const session = await getSession(request);
  return data(
    {
      viewer: { id: me.user.id, tenantId: me.user.tenantId, name: me.user.name, email: me.user.email, role: me.user.role, tenantName: session.get('tenantName') ?? '' },
      events: { url: `${env.PUBLIC_API_URL}/v1/events`, accessToken: authed.accessToken },
      temporalUi: env.TEMPORAL_UI_URL ? { url: env.TEMPORAL_UI_URL, namespace: env.TEMPORAL_NAMESPACE } : null,
    },
    { headers: authed.headers },
  );
}

export default function AppShell() {
  const { viewer, events } = useLoaderData<typeof loader>();
  return (
    <div className="app-shell">
      <header className="topbar">
        <span className="brand">Switchboard</span>
        <span className="muted" data-testid="tenant-name">
          {viewer.tenantName}
        </span>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/inbox" data-testid="nav-inbox">
            Inbox
          </NavLink>
          {isAdminRole(viewer.role) || viewer.role === 'manager' ? (
            <NavLink to="/settings" data-testid="nav-settings">
              Settings
            </NavLink>
          ) : null}
          <NavLink to="/contacts" data-testid="nav-contacts">
            Contacts
          </NavLink>
          <NavLink to="/tickets" data-testid="nav-tickets">
            Tickets
          </NavLink>
          <NavLink to="/pipelines" data-testid="nav-pipelines">
            Pipelines
          </NavLink>
          {mayReadReports(viewer.role) ? (
            <NavLink to="/reports" data-testid="nav-reports">
              Reports
            </NavLink>
          ) : null}
          {mayReadAutomations(viewer.role) ? (
            <NavLink to="/automations" data-testid="nav-automations">
              Automations
            </NavLink>
          ) : null}
          <NavLink to="/simulator" data-testid="simulator-link">
            Simulator
          </NavLink>
        </nav>
        <LiveUpdates url={events.url} accessToken={events.accessToken} />
        <span className="spacer" />
        <MentionsMenu />
        <span className="viewer" title={`${viewer.email} · ${viewer.role}`} data-testid="viewer-name">
          {viewer.name || viewer.email}
        </span>
        <LogoutButton />
      </header>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <main className="error-page" data-testid="shell-error">
      <h1>This page could not be loaded</h1>
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
