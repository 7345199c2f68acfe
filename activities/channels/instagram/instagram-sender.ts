import { ApplicationFailure } from '@temporalio/common';
import type { ChannelSender, OutboundMessage, ResolvedConnection, SendContext, SendResult } from '../channel-sender.js';
import { graphFailure, type GraphError } from './graph-errors.js';

const API_VERSION = 'v21.0';
const WINDOW_MS = 24 * 60 * 60 * 1000;
/** Instagram's limit on a DM's text. */
const MAX_TEXT = 1000;
// Below the outbox lease (30 s), so an attempt never outlives its claim.
const TIMEOUT_MS = 15_000;

/**
 * Instagram DMs through the Graph API (`POST /<IG user id>/messages`), with plain fetch.
 *
 * Instagram lets a business answer only within 24 hours of the customer's last message: a send
 * outside it is refused here, before calling Meta, and never marked sent. Graph takes no
 * idempotency key, so a worker that dies after Meta accepted a DM and before `sent` is stored sends
 * it again on retry: at most one duplicate per such crash (the outbox lease keeps attempts apart).
 */
export function instagramSender(graphUrl = 'https://graph.instagram.com', now: () => number = Date.now): ChannelSender {
  const base = graphUrl.replace(/\/$/, '');

  async function graph(connection: ResolvedConnection, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${base}/${API_VERSION}${path}`, {
      method,
      headers: { authorization: `Bearer ${connection.secrets.accessToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    let json: { error?: GraphError } & Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      // A proxy's HTML error page: judged by its status alone.
    }
    if (!res.ok || json.error) throw graphFailure(res.status, json.error);
    return json;
  }

  return {
    async send(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      if (!msg.to) throw ApplicationFailure.nonRetryable('the conversation has no Instagram recipient', 'NoRecipient');
      if (!msg.lastInboundAt || now() - msg.lastInboundAt.getTime() > WINDOW_MS) {
        throw ApplicationFailure.nonRetryable(
          "not sent: outside Instagram's 24-hour messaging window (the customer's last message is older than 24 hours)",
          'MessagingWindowClosed',
        );
      }
      if ([...msg.content].length > MAX_TEXT) throw ApplicationFailure.nonRetryable(`not sent: longer than Instagram's ${MAX_TEXT}-character limit`, 'MessageTooLong');
      const igUserId = String(ctx.connection.config.igUserId);
      const r = await graph(ctx.connection, 'POST', `/${encodeURIComponent(igUserId)}/messages`, { recipient: { id: msg.to }, message: { text: msg.content } });
      if (typeof r.message_id !== 'string') throw ApplicationFailure.retryable('Instagram accepted the send but returned no message_id', 'ProviderUnavailable');
      return { providerMessageId: r.message_id };
    },

    async test(connection: ResolvedConnection) {
      // `user_id` is the professional account id that webhooks and the send path use; `id` may be app-scoped.
      const me = await graph(connection, 'GET', '/me?fields=id,user_id,username');
      const expected = String(connection.config.igUserId);
      if (me.user_id !== expected && me.id !== expected) return { ok: false, message: `the access token belongs to Instagram account ${String(me.user_id ?? me.id)}, not ${expected}` };
      return { ok: true, message: `Connected to Instagram as @${String(me.username ?? me.id)}` };
    },
  };
}
