import type { VitePluginConfig } from '@remix-run/dev';

/** Route manifest: one place mapping URLs to feature-sliced route modules. */
export const routes: NonNullable<VitePluginConfig['routes']> = (defineRoutes) =>
  defineRoutes((route) => {
    route('', 'features/inbox/home.route.ts', { index: true, id: 'home' });
    route('login', 'features/auth/login.route.tsx', { id: 'login' });
    route('logout', 'features/auth/logout.route.ts', { id: 'logout' });
    route('canned-responses/search', 'features/conversation/canned-responses.route.ts', { id: 'canned-responses-search' });
    route('mentions', 'features/shell/mentions.route.ts', { id: 'mentions' });
    route('invite/:token', 'features/auth/invite.route.tsx', { id: 'invite' });
    // Signed-in pages share the shell: navigation, live updates, the viewer.
    route(undefined, 'features/shell/app-shell.route.tsx', { id: 'shell' }, () => {
      route('simulator', 'features/simulator/simulator.route.tsx', { id: 'simulator' });
      route('pipelines', 'features/crm/pipelines.route.tsx', { id: 'pipelines' });
      route('contacts', 'features/contacts/contacts.route.tsx', { id: 'contacts' });
      route('contacts/import', 'features/contacts/contacts-import.route.tsx', { id: 'contacts-import' });
      route('contacts/:contactId', 'features/contacts/contact.route.tsx', { id: 'contact' });
      route('contacts/export.csv', 'features/contacts/export.route.ts', { id: 'contacts-export' });
      route('contacts/imports/:importId/errors.csv', 'features/contacts/import-errors.route.ts', { id: 'contacts-import-errors' });
      route('tickets', 'features/tickets/tickets.route.tsx', { id: 'tickets' });
      route('tickets/:ticketId', 'features/tickets/ticket.route.tsx', { id: 'ticket' });
      route('reports', 'features/reports/reports.route.tsx', { id: 'reports' });
      route('automations', 'features/automations/automations.route.tsx', { id: 'automations' });
      route('automations/runs/:runId', 'features/automations/automation-run-data.route.ts', { id: 'automation-run' });
      route('automations/:automationId', 'features/automations/automation-builder.route.tsx', { id: 'automation-builder' });
      route('settings', 'features/settings/settings.route.tsx', { id: 'settings' }, () => {
        route('', 'features/settings/settings-index.route.ts', { index: true, id: 'settings-index' });
        route('users', 'features/settings/users.route.tsx', { id: 'settings-users' });
        route('channels', 'features/settings/channels.route.tsx', { id: 'settings-channels' });
        route('agent', 'features/settings/agent.route.tsx', { id: 'settings-agent' });
        route('knowledge', 'features/settings/knowledge.route.tsx', { id: 'settings-knowledge' });
        route('knowledge/upload', 'features/settings/knowledge-upload.route.ts', { id: 'settings-knowledge-upload' });
        route('canned-responses', 'features/settings/canned.route.tsx', { id: 'settings-canned' });
        route('widget', 'features/settings/widget.route.tsx', { id: 'settings-widget' });
        route('workspace', 'features/settings/workspace.route.tsx', { id: 'settings-workspace' });
      });
      route('inbox', 'features/inbox/inbox.route.tsx', { id: 'inbox' }, () => {
        route('', 'features/inbox/inbox-empty.route.tsx', { index: true, id: 'inbox-empty' });
        route(':conversationId', 'features/inbox/conversation.route.tsx', { id: 'conversation' });
      });
    });
  });
