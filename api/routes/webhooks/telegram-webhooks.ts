import { secretTokenMatches } from '../../../activities/channels/telegram/secret-token.js';
import { telegramMessageKey } from '../../../activities/channels/telegram/telegram-keys.js';
import { TelegramUpdate, telegramInbound } from '../../../activities/channels/telegram/telegram-updates.js';
import { AppError, validationError } from '../../errors.js';
import { newRouter } from '../../router.js';
import { ingestChannelMessage } from '../../services/inbound.js';
import { webhookConnection } from '../../services/webhook-connections.js';

const KINDS = ['telegram'] as const;

/**
 * A bot's updates, at /webhooks/telegram/<connection id>: the URL given to setWebhook, with the
 * connection's webhookSecret as `secret_token`, which Telegram sends back on every update. A
 * re-delivered update is stored once (`<chat id>:<message id>` is the deduplication key).
 */
export const telegramWebhooks = newRouter();

telegramWebhooks.post('/:connectionId', async (c) => {
  const deps = c.get('deps');
  const conn = await webhookConnection(deps.db, deps.config.CREDENTIALS_MASTER_KEY, c.req.param('connectionId'), KINDS);
  if (!secretTokenMatches(c.req.header('x-telegram-bot-api-secret-token'), conn.secrets.webhookSecret)) {
    throw new AppError('forbidden', 'invalid or missing X-Telegram-Bot-Api-Secret-Token', [{ field: 'X-Telegram-Bot-Api-Secret-Token', message: "does not match the connection's webhookSecret" }]);
  }
  // Acknowledged so Telegram drops the update; a disconnected channel takes nothing in.
  if (conn.disconnected) return c.json({ ok: true }, 200);

  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new AppError('validation_failed', 'the body is not valid JSON', [{ field: 'body', message: 'must be JSON' }]);
  }
  const parsed = TelegramUpdate.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, 'json');

  const inbound = telegramInbound(parsed.data);
  if ('ignored' in inbound) return c.json({ ok: true }, 200);
  await ingestChannelMessage(deps, {
    tenantId: conn.tenantId,
    connectionId: conn.id,
    channel: 'telegram',
    identity: { kind: 'telegram', address: inbound.chatId },
    name: inbound.name,
    providerMessageId: telegramMessageKey(String(conn.secrets.botToken), inbound.chatId, inbound.messageId),
    content: inbound.text,
    attachments: inbound.attachments,
    metadata: { telegram: { updateId: parsed.data.update_id, sentAt: inbound.sentAt, ...(inbound.username && { username: inbound.username }), ...(inbound.files.length && { files: inbound.files }) } },
  });
  return c.json({ ok: true }, 200);
});
