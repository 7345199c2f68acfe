import type { VitePluginConfig } from '@remix-run/dev';

/** Route manifest: one place mapping URLs to feature-sliced route modules. */
export const routes: NonNullable<VitePluginConfig['routes']> = (defineRoutes) =>
  defineRoutes((route) => {
    route('', 'features/inbox/home.route.ts', { index: true, id: 'home' });
    route('login', 'features/auth/login.route.tsx', { id: 'login' });
    route('logout', 'features/auth/logout.route.ts', { id: 'logout' });
    // Signed-in pages share the shell: navigation, live updates, the viewer.
    route(undefined, 'features/shell/app-shell.route.tsx', { id: 'shell' }, () => {
      route('simulator', 'features/simulator/simulator.route.tsx', { id: 'simulator' });
      route('inbox', 'features/inbox/inbox.route.tsx', { id: 'inbox' }, () => {
        route('', 'features/inbox/inbox-empty.route.tsx', { index: true, id: 'inbox-empty' });
        route(':conversationId', 'features/inbox/conversation.route.tsx', { id: 'conversation' });
      });
    });
  });
