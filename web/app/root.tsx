import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from '@remix-run/react';
import type { ReactNode } from 'react';
import { errorMessage } from './shared/error-message';
import stylesUrl from './styles.css?url';

export const links: LinksFunction = () => [
  { rel: 'icon', href: 'data:,' },
  { rel: 'stylesheet', href: stylesUrl },
];

export const meta: MetaFunction = () => [{ title: 'Switchboard' }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <main className="error-page" data-testid="app-error">
      <h1>Something went wrong</h1>
      <p>{errorMessage(error)}</p>
      <a href="/inbox">Back to the inbox</a>
    </main>
  );
}
