import { verifyMetaSignature, sameSecret } from '../../../activities/channels/instagram/webhook-signature.js';
import { InstagramWebhook, instagramEvents } from '../../../activities/channels/instagram/webhook-events.js';
import { AppError, validationError } from '../../errors.js';
import { newRouter } from '../../router.js';
import { advanceDeliveryStatus } from '../../services/delivery-status.js';
import { ingestChannelMessage } from '../../services/inbound.js';
import { webhookConnection } from '../../services/webhook-connections.js';

const KINDS = ['instagram'] as const;

/**
 * Instagram DMs and read receipts, at /webhooks/instagram/<connection id>. Meta verifies the URL
 * with a GET carrying the connection's verify token, then signs every POST with the app secret.
 * A re-delivered message is stored once (its `mid` is the deduplication key).
 */
export const instagramWebhooks = newRouter();

instagramWebhooks.get('/:connectionId', async (c) => {
  const { db, config } = c.get('deps');
  const conn = await webhookConnection(db, config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId'), KINDS);
  const mode = c.req.query('hub.mode');
  const challenge = c.req.query('hub.challenge');
  if (mode !== 'subscribe' || !sameSecret(c.req.query('hub.verify_token'), conn.secrets.verifyToken)) {
    throw new AppError('forbidden', 'the verify token does not match this connection', [{ field: 'hub.verify_token', message: 'does not match' }]);
  }
  if (!challenge) throw new AppError('validation_failed', 'hub.challenge is required', [{ field: 'hub.challenge', message: 'required' }]);
  return c.text(challenge, 200);
});

instagramWebhooks.post('/:connectionId', async (c) => {
  const deps = c.get('deps');
  const conn = await webhookConnection(deps.db, deps.config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId'), KINDS);
  // The signature covers the bytes as sent; they are read once, before any parsing.
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (!verifyMetaSignature(conn.secrets.appSecret, raw, c.req.header('x-hub-signature-256'))) {
    throw new AppError('forbidden', 'invalid or missing X-Hub-Signature-256', [{ field: 'X-Hub-Signature-256', message: 'does not match the body signed with the app secret' }]);
  }
  // Acknowledged so Meta stops retrying; a disconnected channel takes nothing in.
  if (conn.disconnected) return c.text('EVENT_RECEIVED', 200);

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new AppError('validation_failed', 'the body is not valid JSON', [{ field: 'body', message: 'must be JSON' }]);
  }
  const parsed = InstagramWebhook.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, 'json');

  const igUserId = String(conn.config.igUserId);
  // One at a time, in Meta's order, so a batch's messages are stored in the order they were sent.
  for (const event of instagramEvents(parsed.data, igUserId)) {
    if (event.kind === 'read') {
      await advanceDeliveryStatus(deps.db, conn.tenantId, { channel: 'instagram', providerMessageId: event.mid }, 'read');
      continue;
    }
    await ingestChannelMessage(deps, {
      tenantId: conn.tenantId,
      connectionId: conn.id,
      channel: 'instagram',
      identity: { kind: 'instagram', address: event.senderId },
      providerMessageId: event.mid,
      content: event.text,
      attachments: event.attachments,
      metadata: { instagram: { igUserId, ...(event.sentAt && { sentAt: event.sentAt }), ...(event.attachmentTypes.length && { attachmentTypes: event.attachmentTypes }) } },
    });
  }
  return c.text('EVENT_RECEIVED', 200);
});
