import type { Context } from 'hono';
import twilio from 'twilio';
import { z } from 'zod';
import { describeDeliveryFailure } from '../../../activities/channels/twilio/twilio-errors.js';
import type { AppEnv } from '../../context.js';
import { AppError, validationError } from '../../errors.js';
import { newRouter } from '../../router.js';
import { normalisePhone } from '../../services/addresses.js';
import { advanceDeliveryStatus, type ProviderStatus } from '../../services/delivery-status.js';
import { ingestChannelMessage } from '../../services/inbound.js';
import { webhookConnection } from '../../services/webhook-connections.js';

type Params = Record<string, string | string[]>;

/** Twilio's message SIDs: SM (text) or MM (media), then 32 hex digits. */
const MessageSid = z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i, 'must be a Twilio message SID (SM… or MM…)');
const Single = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be given once') });

const Inbound = z.object({
  MessageSid,
  From: Single.min(1),
  To: Single.optional(),
  Body: Single.max(10_000).default(''),
  ProfileName: Single.max(200).optional(),
  NumMedia: z.coerce.number().int().min(0).max(20).default(0),
});

const Status = z.object({
  MessageSid,
  MessageStatus: Single.min(1),
  ErrorCode: Single.max(16).optional(),
  ErrorMessage: Single.max(1000).optional(),
});

const STATUSES: Record<string, ProviderStatus | 'ignored'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  // Steps before Twilio hands the message on (or a scheduled send called off): nothing to show yet.
  queued: 'ignored',
  accepted: 'ignored',
  scheduled: 'ignored',
  sending: 'ignored',
  canceled: 'ignored',
  partially_delivered: 'ignored',
};

const emptyTwiml = (c: Context<AppEnv>) => c.body('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 200, { 'content-type': 'text/xml' });

/**
 * The connection and the form, once Twilio's signature over them is checked. Twilio signs the URL it
 * was given (our public URL, query included) followed by every POST parameter, sorted; the SDK's
 * validateRequest recomputes that with the connection's Auth Token and compares in constant time.
 */
async function verified(c: Context<AppEnv>) {
  const { db, config } = c.get('deps');
  const connection = await webhookConnection(db, config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId') ?? '', ['whatsapp', 'sms']);
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('unsupported_media_type', 'Twilio webhooks are form-encoded', [{ field: 'content-type', message: 'must be application/x-www-form-urlencoded' }]);
  }
  const params: Params = {};
  for (const [key, value] of new URLSearchParams(await c.req.text())) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signature = c.req.header('x-twilio-signature');
  const url = new URL(c.req.url);
  const signedUrl = `${config.PUBLIC_URL.replace(/\/$/, '')}${url.pathname}${url.search}`;
  if (!signature || !twilio.validateRequest(connection.secrets.authToken ?? '', signature, signedUrl, params)) {
    throw new AppError('forbidden', signature ? 'X-Twilio-Signature does not match' : 'X-Twilio-Signature is missing', [{ field: 'x-twilio-signature', message: signature ? 'does not match' : 'is required' }]);
  }
  return { connection, params, deps: c.get('deps') };
}

function parse<T extends z.ZodTypeAny>(schema: T, params: Params): z.infer<T> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error, 'form');
  return parsed.data;
}

/**
 * Twilio's Programmable Messaging webhooks for WhatsApp and SMS connections, at
 * /webhooks/twilio/<connection id> (inbound) and …/status (status callbacks).
 *
 * Retries of one delivery are deduplicated by MessageSid, the key ingest already stores under a
 * unique index: Twilio's I-Twilio-Idempotency-Token names the same delivery, so a second key (and a
 * second write on the hot path) would catch nothing more. Status callbacks need
 * no key at all: statuses only move forward, so replaying one changes nothing.
 */
export const twilioWebhooks = newRouter();

twilioWebhooks.post('/:connectionId', async (c) => {
  const { connection, params, deps } = await verified(c);
  // A disconnected channel still acknowledges, so Twilio stops retrying, but keeps nothing.
  if (connection.disconnected) return emptyTwiml(c);
  const form = parse(Inbound, params);
  const config = connection.config as { defaultCountry?: string };
  const phone = normalisePhone(form.From, config.defaultCountry);
  if (!phone) throw new AppError('validation_failed', 'invalid form: From is not a phone number', [{ field: 'From', message: 'must be a phone number' }]);
  const attachments: Array<{ url: string; contentType: string }> = [];
  for (let i = 0; i < form.NumMedia; i++) {
    const media = parse(z.object({ [`MediaUrl${i}`]: z.string().url(), [`MediaContentType${i}`]: Single.max(255).default('application/octet-stream') }), params);
    attachments.push({ url: media[`MediaUrl${i}`], contentType: media[`MediaContentType${i}`] });
  }
  const channel = connection.kind === 'whatsapp' ? 'whatsapp' : 'sms';
  await ingestChannelMessage(deps, {
    tenantId: connection.tenantId,
    connectionId: connection.id,
    channel,
    identity: { kind: 'phone', address: phone },
    name: form.ProfileName?.trim() || null,
    providerMessageId: form.MessageSid,
    content: form.Body,
    attachments,
    metadata: { twilio: { messageSid: form.MessageSid, ...(form.To && { to: form.To }) } },
  });
  return emptyTwiml(c);
});

twilioWebhooks.post('/:connectionId/status', async (c) => {
  const { connection, params, deps } = await verified(c);
  if (connection.disconnected) return emptyTwiml(c);
  const form = parse(Status, params);
  // Our message id, in the callback URL we gave Twilio (so covered by the signature).
  const ours = c.req.query('m');
  if (ours !== undefined && !z.string().uuid().safeParse(ours).success) {
    throw new AppError('validation_failed', 'invalid query: m must be a message id', [{ field: 'm', message: 'must be a UUID' }]);
  }
  const status = STATUSES[form.MessageStatus];
  if (!status) throw new AppError('validation_failed', `invalid form: MessageStatus '${form.MessageStatus}' is not a Twilio message status`, [{ field: 'MessageStatus', message: 'unknown status' }]);
  if (status === 'ignored') return emptyTwiml(c);
  const ref = ours ? { messageId: ours } : { channel: connection.kind, providerMessageId: form.MessageSid };
  const error = status === 'failed' ? describeDeliveryFailure(form.ErrorCode, form.ErrorMessage) : null;
  // The SID is stored when the message has none yet: its send attempt died before recording it, and must not send again.
  await advanceDeliveryStatus(deps.db, connection.tenantId, ref, status, error, form.MessageSid);
  return emptyTwiml(c);
});
