import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiDeps, AppEnv } from './context.js';
import { AppError, errorResponse, handleError } from './errors.js';
import { agentConfigRoutes } from './routes/agent/agent-config-routes.js';
import { httpToolRoutes } from './routes/agent/http-tool-routes.js';
import { providerRoutes } from './routes/agent/provider-routes.js';
import { usageRoutes } from './routes/agent/usage-routes.js';
import { sessionRoutes } from './routes/auth/session-routes.js';
import { conversationRoutes } from './routes/conversations/conversation-routes.js';
import { labelRoutes } from './routes/conversations/label-routes.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { documentRoutes } from './routes/knowledge/document-routes.js';
import { staticRoutes } from './routes/static-assets.js';
import { userRoutes } from './routes/users/user-routes.js';
import { workspaceRoutes } from './routes/users/workspace-routes.js';
import { memberRoutes } from './routes/users/member-routes.js';
import { teamRoutes } from './routes/teams/team-routes.js';
import { cannedResponseRoutes } from './routes/canned-responses/canned-response-routes.js';
import { noteRoutes } from './routes/notes/note-routes.js';
import { widgetRoutes } from './routes/widget/widget-routes.js';
import { connectionRoutes } from './routes/channels/connection-routes.js';
import { simulatorRoutes } from './routes/channels/simulator-routes.js';
import { contactRoutes } from './routes/contacts/contact-routes.js';
import { webhookRoutes } from './routes/webhooks/webhook-routes.js';
import { automationRoutes } from './routes/automations/automation-routes.js';
import { automationRunRoutes } from './routes/automations/automation-run-routes.js';
import { pipelineRoutes } from './routes/crm/pipeline-routes.js';
import { leadRoutes } from './routes/crm/lead-routes.js';
import { ticketRoutes } from './routes/tickets/ticket-routes.js';
import { macroRoutes } from './routes/tickets/macro-routes.js';
import { reportRoutes } from './routes/reports/report-routes.js';
import { contactCrudRoutes } from './routes/contacts/contact-crud-routes.js';
import { contactListViewRoutes } from './routes/contacts/contact-list-view-routes.js';
import { IMPORT_MAX_BYTES, importRoutes } from './routes/contacts/import-routes.js';

export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // The docs page runs Swagger UI's own script; everything else gets the strict defaults.
  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] }, crossOriginResourcePolicy: false }));
  // Agents' browsers come from the allow-list; the widget runs on customers' sites, so its routes allow any origin.
  app.use('/v1/widget/*', cors({ origin: '*', allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600 }));
  app.use('/v1/*', cors({ origin: deps.config.CORS_ORIGINS, allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'], credentials: true, maxAge: 600 }));
  const tooLarge = () => {
    throw new AppError('payload_too_large', 'request body is too large');
  };
  const limit = bodyLimit({ maxSize: deps.config.BODY_LIMIT_BYTES, onError: tooLarge });
  // A CSV import is the one large upload: it gets its own cap.
  const importLimit = bodyLimit({ maxSize: IMPORT_MAX_BYTES, onError: tooLarge });
  app.use('/v1/*', (c, next) => (c.req.method === 'POST' && c.req.path === '/v1/contacts/imports' ? importLimit(c, next) : limit(c, next)));
  app.use('/webhooks/*', limit);

  app.route('/', healthRoutes);
  app.route('/', staticRoutes);
  app.route('/v1/auth', sessionRoutes);
  app.route('/v1', userRoutes);
  app.route('/v1', workspaceRoutes);
  app.route('/v1', memberRoutes);
  app.route('/v1', noteRoutes);
  app.route('/v1/teams', teamRoutes);
  app.route('/v1/canned-responses', cannedResponseRoutes);
  app.route('/v1/conversations', conversationRoutes);
  app.route('/v1/labels', labelRoutes);
  app.route('/v1/events', eventRoutes);
  app.route('/v1/knowledge/documents', documentRoutes);
  app.route('/v1/agent/providers', providerRoutes);
  app.route('/v1/agent/http-tools', httpToolRoutes);
  app.route('/v1/agent/usage', usageRoutes);
  app.route('/v1/agent', agentConfigRoutes);
  app.route('/v1/widget', widgetRoutes);
  app.route('/v1/channels/connections', connectionRoutes);
  app.route('/v1/channels/simulator', simulatorRoutes);
  app.route('/v1', importRoutes);
  app.route('/v1', contactCrudRoutes);
  app.route('/v1', contactListViewRoutes);
  app.route('/v1/contacts', contactRoutes);
  app.route('/v1/automations', automationRoutes);
  app.route('/v1', automationRunRoutes);
  app.route('/v1/pipelines', pipelineRoutes);
  app.route('/v1/leads', leadRoutes);
  app.route('/v1', ticketRoutes);
  app.route('/v1', macroRoutes);
  app.route('/v1', reportRoutes);
  app.route('/webhooks', webhookRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Switchboard API', version: '0.1.0', description: 'Omni-channel inbox, AI agent and automations on Temporal.' },
    servers: [{ url: deps.config.PUBLIC_URL }],
  });

  app.notFound((c) => errorResponse(c, new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError(handleError);
  return app;
}
