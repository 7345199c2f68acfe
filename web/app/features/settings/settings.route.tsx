import type { MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useRouteError } from '@remix-run/react';
import { errorMessage } from '~/shared/error-message';
import { useShell } from '../shell/use-viewer';

export const meta: MetaFunction = () => [{ title: 'Settings · Switchboard' }];

const SECTIONS = [
  { to: 'users', label: 'Users & teams' },
  { to: 'channels', label: 'Channels' },
  { to: 'agent', label: 'AI agent' },
  { to: 'knowledge', label: 'Knowledge base' },
  { to: 'canned-responses', label: 'Canned responses' },
  { to: 'widget', label: 'Widget' },
  { to: 'workspace', label: 'Workspace' },
] as const;

/** The settings frame: a side nav beside the section being edited. */
export default function SettingsLayout() {
  const { viewer } = useShell();
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings">
        <h1 className="settings-title">Settings</h1>
        {SECTIONS.map((section) => (
          <NavLink key={section.to} to={section.to} data-testid={`settings-nav-${section.to}`} prefetch="intent">
            {section.label}
          </NavLink>
        ))}
        <p className="muted small settings-role">
          Signed in as <strong>{viewer.role}</strong>
        </p>
      </nav>
      <section className="settings-body">
        <Outlet />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <div className="settings">
      <section className="settings-body" data-testid="settings-error">
        <h2>This settings page could not be loaded</h2>
        <p className="form-error">{errorMessage(useRouteError())}</p>
        <p>
          <a href="/settings">Back to settings</a>
        </p>
      </section>
    </div>
  );
}
