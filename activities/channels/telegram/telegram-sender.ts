import { ApplicationFailure } from '@temporalio/common';
import type { ChannelSender, OutboundMessage, ResolvedConnection, SendContext, SendResult } from '../channel-sender.js';
import { botApiFailure, type BotApiError } from './bot-api-errors.js';
import { telegramMessageKey } from './telegram-keys.js';

/** sendMessage's limit on a text. */
const MAX_TEXT = 4096;
// Below the outbox lease (30 s), so an attempt never outlives its claim.
const TIMEOUT_MS = 15_000;

/**
 * Telegram through the Bot API (`/bot<token>/<method>`), with plain fetch. Bots may write to a
 * private chat at any time, so there is no window to enforce.
 *
 * The Bot API takes no idempotency key: a worker that dies after Telegram accepted a message and
 * before `sent` is stored sends it again on retry, at most one duplicate per such crash.
 */
export function telegramSender(apiUrl = 'https://api.telegram.org'): ChannelSender {
  const base = apiUrl.replace(/\/$/, '');

  async function call<T>(connection: ResolvedConnection, method: string, params?: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${base}/bot${connection.secrets.botToken}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params ?? {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    let json: { ok?: boolean; result?: T } & Omit<Partial<BotApiError>, 'ok'> = {};
    try {
      json = (await res.json()) as typeof json;
    } catch {
      // Not the Bot API's JSON (a proxy's error page): judged by its status alone.
    }
    if (!res.ok || json.ok !== true) throw botApiFailure(res.status, { ...json, ok: false });
    return json.result as T;
  }

  return {
    async send(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      if (!msg.to) throw ApplicationFailure.nonRetryable('the conversation has no Telegram chat', 'NoRecipient');
      if ([...msg.content].length > MAX_TEXT) throw ApplicationFailure.nonRetryable(`not sent: longer than Telegram's ${MAX_TEXT}-character limit`, 'MessageTooLong');
      const sent = await call<{ message_id?: number }>(ctx.connection, 'sendMessage', { chat_id: msg.to, text: msg.content });
      if (typeof sent?.message_id !== 'number') throw ApplicationFailure.retryable('Telegram accepted the send but returned no message_id', 'ProviderUnavailable');
      return { providerMessageId: telegramMessageKey(ctx.connection.secrets.botToken, msg.to, sent.message_id) };
    },

    /**
     * getMe checks the token; then Telegram is told where to post updates, with the secret it must
     * send back (setWebhook is idempotent), when it can reach that URL: Telegram posts to HTTPS only.
     */
    async test(connection: ResolvedConnection, ctx?: { webhookUrl: string }) {
      const me = await call<{ username?: string; is_bot?: boolean }>(connection, 'getMe');
      const who = `Connected as @${me.username ?? 'bot'}`;
      if (ctx?.webhookUrl.startsWith('https://')) {
        await call(connection, 'setWebhook', { url: ctx.webhookUrl, secret_token: connection.secrets.webhookSecret, allowed_updates: ['message', 'edited_message'] });
      }
      const hook = await call<{ url?: string; last_error_message?: string }>(connection, 'getWebhookInfo');
      if (!hook.url) return { ok: true, message: `${who}; no webhook is set yet (setWebhook with this connection's webhook URL and its webhookSecret as secret_token)` };
      return { ok: true, message: `${who}; updates go to ${hook.url}${hook.last_error_message ? ` (last delivery error: ${hook.last_error_message})` : ''}` };
    },
  };
}
