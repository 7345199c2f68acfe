import { useRouteLoaderData } from '@remix-run/react';
import type { loader } from './app-shell.route';

/** The signed-in user and workspace, from the shell's loader; only under the shell route. */
export function useShell() {
  const shell = useRouteLoaderData<typeof loader>('shell');
  if (!shell) throw new Error('useShell() is only available inside the app shell');
  return shell;
}
