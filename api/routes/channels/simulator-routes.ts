import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { assertCan } from '../../auth/permissions.js';
import { AppError } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { normaliseEmail, normalisePhone } from '../../services/addresses.js';
import { ingestChannelMessage, type ChannelInbound } from '../../services/inbound.js';

const SIMULATED = ['whatsapp', 'sms', 'email', 'instagram', 'telegram'] as const;

/** The sender's identity as the real channel would give it; a bad address is the caller's error, on `from`. */
function identityFor(channel: (typeof SIMULATED)[number], from: string): ChannelInbound['identity'] {
  const bad = (message: string) => new AppError('validation_failed', `invalid from: ${message}`, [{ field: 'from', message }]);
  if (channel === 'whatsapp' || channel === 'sms') {
    const phone = normalisePhone(from);
    if (!phone) throw bad('must be a phone number with its country code, such as +31612345678');
    return { kind: 'phone', address: phone };
  }
  if (channel === 'email') {
    const email = normaliseEmail(from);
    if (!email) throw bad('must be an email address');
    return { kind: 'email', address: email };
  }
  if (!/^\d{3,30}$/.test(from.trim())) throw bad(`must be a numeric ${channel} user id`);
  return { kind: channel, address: from.trim() };
}

/**
 * Lets a person write "as" a customer on any channel, so the whole product can be tried offline.
 * Simulated conversations have no connection: replies go through the sandbox transport, recorded
 * as sent, never to a real provider, even when the workspace has connected that channel.
 */
export const simulatorRoutes = newRouter();
simulatorRoutes.use('*', requireUser);

simulatorRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/messages',
    tags: ['channels'],
    summary: 'Send an inbound message as a customer on WhatsApp, SMS, email, Instagram or Telegram (sandbox)',
    security,
    request: jsonBody(
      z.object({
        channel: z.enum(SIMULATED),
        from: z.string().trim().min(1).max(254).describe('A phone number, an email address, or an Instagram/Telegram user id'),
        name: Text(1, 120).optional(),
        text: Text(1, 4096),
        subject: Text(1, 200).optional().describe('Email only'),
        clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _').optional().describe('Sending the same id twice stores one message'),
      }),
    ),
    responses: {
      201: jsonResponse('Stored', z.object({ messageId: z.string().uuid(), conversationId: z.string().uuid(), contactId: z.string().uuid(), duplicate: z.boolean() })),
      ...errors,
    },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'channels:simulate');
    const body = c.req.valid('json');
    const deps = c.get('deps');
    const r = await ingestChannelMessage(deps, {
      tenantId: p.tenantId,
      connectionId: null,
      channel: body.channel,
      identity: identityFor(body.channel, body.from),
      name: body.name ?? null,
      providerMessageId: `sim:${body.clientMessageId ?? randomUUID()}`,
      content: body.text,
      metadata: { simulated: true, ...(body.subject && { subject: body.subject }) },
    });
    return c.json({ messageId: r.messageId, conversationId: r.conversationId, contactId: r.contactId, duplicate: r.duplicate }, 201);
  },
);
