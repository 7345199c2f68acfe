import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { withTenant } from '../../../db/client.js';
import { conversations, tenants } from '../../../db/schema/index.js';
import { signWidgetToken } from '../../auth/tokens.js';
import { AppError, ErrorBody } from '../../errors.js';
import { liveStream, parseLastEventId } from '../../live/sse.js';
import { rateLimit } from '../../middleware/rate-limit.js';
import { jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { resolveVisitorContact } from '../../services/contacts.js';
import { ingestInbound } from '../../services/inbound.js';
import { MessageView, listMessages } from '../conversations/views.js';
import { requireVisitor } from './widget-auth.js';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.js';

export const widgetRoutes = newRouter();
const errors = { 400: jsonResponse('Invalid input', ErrorBody), 401: jsonResponse('Not authenticated', ErrorBody) };

widgetRoutes.use('/sessions', rateLimit({ bucket: 'widget-session', windowMs: 60_000, limit: (c) => c.get('deps').config.AUTH_RATE_LIMIT_PER_MINUTE * 3 }));

widgetRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/sessions',
    tags: ['widget'],
    summary: "Start or resume a visitor's widget session from the tenant's public widget key",
    request: jsonBody(
      z.object({
        widgetKey: z.string().min(1).max(100),
        visitorId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _').optional(),
        name: Text(1, 120).optional(),
        email: z.string().trim().toLowerCase().email().max(254).optional(),
        phone: z.string().trim().regex(/^\+?[\d\s().-]{6,20}$/, 'must be a phone number').optional(),
      }),
    ),
    responses: {
      201: jsonResponse(
        'Session',
        z.object({ sessionToken: z.string(), visitorId: z.string(), contactId: z.string().uuid(), conversationId: z.string().uuid().nullable() }),
      ),
      404: jsonResponse('Unknown widget key', ErrorBody),
      ...errors,
    },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const body = c.req.valid('json');
    const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.widgetKey, body.widgetKey));
    if (!tenant) throw new AppError('not_found', 'unknown widget key', [{ field: 'widgetKey', message: 'unknown' }]);
    const visitorId = body.visitorId ?? randomUUID().replaceAll('-', '');
    const { contactId, conversationId } = await withTenant(db, tenant.id, async (tx) => {
      const contactId = await resolveVisitorContact(tx, tenant.id, { visitorId, name: body.name, email: body.email, phone: body.phone });
      const [conv] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.contactId, contactId), eq(conversations.channel, 'widget')))
        .orderBy(desc(conversations.createdAt))
        .limit(1);
      return { contactId, conversationId: conv?.id ?? null };
    });
    const sessionToken = await signWidgetToken({ tenantId: tenant.id, contactId, visitorId }, config.JWT_SECRET, config.WIDGET_SESSION_TTL_DAYS);
    return c.json({ sessionToken, visitorId, contactId, conversationId }, 201);
  },
);

widgetRoutes.use('/messages', requireVisitor);
widgetRoutes.use('/events', requireVisitor);

async function visitorConversation(c: Context<AppEnv>) {
  const v = c.get('visitor');
  return withTenant(c.get('deps').db, v.tenantId, async (tx) => {
    const [conv] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.contactId, v.contactId), eq(conversations.channel, 'widget')))
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    return { conversationId: conv?.id ?? null, messages: conv ? await listMessages(tx, conv.id, { audience: 'customer' }) : [] };
  });
}

widgetRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/messages',
    tags: ['widget'],
    summary: "The visitor's conversation history (on open and on reconnect)",
    security: [{ bearer: [] }],
    responses: { 200: jsonResponse('History', z.object({ conversationId: z.string().uuid().nullable(), messages: z.array(MessageView) })), ...errors },
  }),
  async (c) => c.json(await visitorConversation(c), 200),
);

widgetRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/messages',
    tags: ['widget'],
    summary: 'Send a message as the visitor; idempotent on clientMessageId',
    security: [{ bearer: [] }],
    request: jsonBody(z.object({ content: Text(1, 4096), clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _') })),
    responses: { 202: jsonResponse('Accepted', z.object({ messageId: z.string().uuid(), conversationId: z.string().uuid(), duplicate: z.boolean() })), ...errors },
  }),
  async (c) => {
    const v = c.get('visitor');
    const body = c.req.valid('json');
    const r = await ingestInbound(c.get('deps'), {
      tenantId: v.tenantId,
      contactId: v.contactId,
      channel: 'widget',
      // Scoped by visitor, so one visitor cannot collide with another's ids.
      providerMessageId: `${v.visitorId}:${body.clientMessageId}`,
      content: body.content,
    });
    return c.json(r, 202);
  },
);

widgetRoutes.get('/events', (c) => {
  const v = c.get('visitor');
  return liveStream(c, c.get('deps').live, {
    tenantId: v.tenantId,
    contactId: v.contactId,
    lastEventId: parseLastEventId(c.req.header('last-event-id'), c.req.query('since')),
    // Visitors get the messages of their own widget conversations, nothing about internal state.
    filter: (e) => (e.channel === 'widget' && e.message && e.message.deliveryStatus !== 'discarded' && e.message.deliveryStatus !== 'queued' ? { ...e, contactId: v.contactId } : null),
  });
});
