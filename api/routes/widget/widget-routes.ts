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
import { widgetSettingsOf } from '../../services/widget-settings.js';
import { MessageView, listMessages } from '../conversations/views.js';
import { requireVisitor } from './widget-auth.js';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.js';
import type { LiveEvent } from '../../live/live-hub.js';

export const widgetRoutes = newRouter();
const errors = { 400: jsonResponse('Invalid input', ErrorBody), 401: jsonResponse('Not authenticated', ErrorBody) };

widgetRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/config',
    tags: ['widget'],
    summary: "The workspace's widget look and behaviour, public by widget key (read before any session)",
    request: { query: z.object({ key: Text(1, 100) }) },
    responses: {
      200: jsonResponse('Widget settings', z.object({ color: z.string(), greeting: z.string(), preChatForm: z.boolean() })),
      404: jsonResponse('Unknown widget key', ErrorBody),
      400: errors[400],
    },
  }),
  async (c) => {
    const { key } = c.req.valid('query');
    const [tenant] = await c.get('deps').db.select({ widgetSettings: tenants.widgetSettings }).from(tenants).where(eq(tenants.widgetKey, key));
    if (!tenant) throw new AppError('not_found', 'unknown widget key', [{ field: 'key', message: 'unknown' }]);
    const { color, greeting, preChatForm } = widgetSettingsOf(tenant.widgetSettings);
    // Tiny, and an admin who just changed the colour expects to see it on the next page load.
    c.header('cache-control', 'no-cache');
    return c.json({ color, greeting, preChatForm }, 200);
  },
);

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
      .select({ id: conversations.id, owner: conversations.owner })
      .from(conversations)
      .where(and(eq(conversations.contactId, v.contactId), eq(conversations.channel, 'widget')))
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    return {
      conversationId: conv?.id ?? null,
      owner: conv?.owner ?? null,
      messages: conv ? await listMessages(tx, conv.id, { audience: 'customer' }) : [],
    };
  });
}

widgetRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/messages',
    tags: ['widget'],
    summary: "The visitor's conversation history (on open and on reconnect)",
    security: [{ bearer: [] }],
    responses: {
      200: jsonResponse(
        'History',
        z.object({
          conversationId: z.string().uuid().nullable(),
          // Who answers: the widget shows "typing…" after a customer message only while the AI does.
          owner: z.enum(['ai', 'human']).nullable(),
          messages: z.array(MessageView),
        }),
      ),
      ...errors,
    },
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
    filter: (e) => visitorEvent(e, v.contactId),
  });
});

/**
 * What a visitor may see of a live event: the sent messages of their own widget conversations, and
 * of conversation changes only status and owner (the typing indicator follows the owner), never the
 * assignee, team or labels.
 */
export function visitorEvent(e: LiveEvent, contactId: string): LiveEvent | null {
  if (e.channel !== 'widget') return null;
  if (e.message) return e.message.deliveryStatus === 'discarded' || e.message.deliveryStatus === 'queued' ? null : { ...e, contactId };
  if (!e.kind.startsWith('conversation.') || !e.conversation) return null;
  const { id, status, owner, channel } = e.conversation;
  return { id: e.id, kind: e.kind, conversationId: e.conversationId, contactId, channel: e.channel, conversation: { id, status, owner, assigneeId: null, channel } };
}
