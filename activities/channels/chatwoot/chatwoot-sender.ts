import { ApplicationFailure } from '@temporalio/common';
import { chatwootMessageKey } from './chatwoot-keys.js';
import { CONNECTION_SPECS } from '../connection-specs.js';
import type { ChannelSender, OutboundMessage, ResolvedConnection, SendContext, SendResult } from '../channel-sender.js';
import { chatwootCall, type ChatwootTarget } from './chatwoot-api.js';
import { humanHandles, type AiReplyRule } from './chatwoot-takeover.js';

interface ChatwootConversation {
  id: number;
  status: string;
  meta?: { assignee?: { id: number; name?: string | null } | null };
}

function settings(connection: ResolvedConnection, allowPrivateNetworks: boolean): { target: ChatwootTarget; accountId: number; rule: AiReplyRule } {
  const parsed = CONNECTION_SPECS.chatwoot.config.safeParse(connection.config);
  if (!parsed.success || !connection.secrets.apiAccessToken) throw ApplicationFailure.nonRetryable('the Chatwoot connection is missing its URL, account id or access token', 'ChatwootMisconfigured');
  return {
    target: { baseUrl: parsed.data.baseUrl, apiAccessToken: connection.secrets.apiAccessToken, allowPrivateNetworks },
    accountId: parsed.data.accountId,
    rule: parsed.data.aiRepliesWhen,
  };
}

/**
 * Answers through the tenant's Chatwoot. The conversation to answer is the one the customer last
 * wrote in: its Chatwoot id travels in that inbound message's metadata (msg.thread), since our
 * conversation's address is the Chatwoot contact.
 *
 * Before posting, it reads the conversation from Chatwoot and refuses (non-retryable, so the
 * message is marked failed and never sent) when a person handles it there: the AI never talks over
 * an agent. The read and the post are two calls, so an agent who takes over in the instant between
 * them is not seen; that window is milliseconds wide.
 *
 * Chatwoot's message API takes no idempotency key: a worker killed after Chatwoot accepted a post
 * but before the outbox recorded it posts the reply again on retry. The risk is bounded to that
 * window: at most one duplicate per crash.
 */
export function chatwootSender(opts: { allowPrivateNetworks?: boolean } = {}): ChannelSender {
  const allowPrivate = opts.allowPrivateNetworks ?? false;
  return {
    async send(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      const { target, accountId, rule } = settings(ctx.connection, allowPrivate);
      const conversationId = chatwootConversationOf(msg);
      const base = `/api/v1/accounts/${accountId}/conversations/${conversationId}`;
      const conversation = await chatwootCall<ChatwootConversation>(target, 'GET', base);
      const refusal = humanHandles({ status: conversation.status, assignee: conversation.meta?.assignee ?? null }, rule);
      if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'ChatwootHumanHandles');
      const posted = await chatwootCall<{ id?: number | string }>(target, 'POST', `${base}/messages`, { content: msg.content, message_type: 'outgoing', private: false });
      if (posted.id === undefined || posted.id === null) throw ApplicationFailure.retryable('Chatwoot accepted the message but returned no id', 'ChatwootBadResponse');
      return { providerMessageId: chatwootMessageKey(ctx.connection.config, posted.id), metadata: { chatwootConversationId: conversationId, chatwootMessageId: String(posted.id) } };
    },

    async test(connection: ResolvedConnection) {
      const { target, accountId } = settings(connection, allowPrivate);
      try {
        const profile = await chatwootCall<{ name?: string; email?: string; accounts?: Array<{ id: number }> }>(target, 'GET', '/api/v1/profile');
        if (profile.accounts && !profile.accounts.some((a) => Number(a.id) === accountId)) {
          return { ok: false, message: `the access token's user (${profile.email ?? profile.name ?? 'unknown'}) is not a member of Chatwoot account ${accountId}` };
        }
        return { ok: true, message: `Connected to Chatwoot as ${profile.name ?? profile.email ?? 'the token owner'}, account ${accountId}.` };
      } catch (err) {
        return { ok: false, message: (err as Error).message };
      }
    },
  };
}

function chatwootConversationOf(msg: OutboundMessage): string {
  const id = msg.metadata?.chatwootConversationId ?? msg.thread?.chatwootConversationId;
  if (typeof id === 'string' && /^\d{1,18}$/.test(id)) return id;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return String(id);
  throw ApplicationFailure.nonRetryable('no Chatwoot conversation to answer: the customer has not written through Chatwoot on this conversation', 'ChatwootNoConversation');
}
