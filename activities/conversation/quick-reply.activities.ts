import type { AiReplyDecision, ConversationState } from '../../temporal/contracts.js';
import type { createDeliveryActivities } from './delivery.activities.js';
import { Unclaimed, type createReplyActivities } from './reply.activities.js';
import type { createStateActivities } from './state.activities.js';

export interface QuickReply {
  /** False: an earlier run already handled this message. */
  fresh: boolean;
  /** Null when the reply needs the regular path (a model, think time). */
  decision: AiReplyDecision | null;
  /** The reply went out already. */
  delivered: boolean;
  /** With `verify`: the conversation's state as read before anything was done. */
  state?: ConversationState;
}

type Parts = Pick<ReturnType<typeof createStateActivities>, 'claimInbound' | 'loadConversationState'> &
  Pick<ReturnType<typeof createReplyActivities>, 'composeQuickReply' | 'composeAiReply'> &
  Pick<ReturnType<typeof createDeliveryActivities>, 'deliverMessage'>;

type AnswerInput = { tenantId: string; conversationId: string; messageId: string; replyId: string };

/**
 * Claim, answer and send in one activity: the common case of a conversation the AI owns, done with
 * one activity instead of three, each with its own workflow task. Each step is the same code the
 * step-by-step path runs, and each is idempotent, so a retried attempt repeats nothing.
 */
export function createQuickReplyActivities(parts: Parts) {
  return {
    /**
     * A regular activity, so a takeover still lands while a model thinks: the workflow does not
     * hold its lock meanwhile, and the send goes out only while the AI still owns the conversation
     * (the database's row lock orders it with a takeover). Not sent: `delivered` false, and the
     * workflow sends or discards it under its lock.
     *
     * `verify`: the workflow assumed the conversation is open and the AI's; read its state first,
     * and when it is not, claim nothing and return that state with no decision.
     */
    async answerInbound(input: AnswerInput & { verify?: boolean }): Promise<QuickReply> {
      const { tenantId, conversationId, messageId, replyId } = input;
      let state: ConversationState | undefined;
      // The state check (when asked) and the claim run while the reply's reads do; the reply waits
      // for them before it decides or writes anything.
      const claim = (async () => {
        if (input.verify) {
          state = await parts.loadConversationState({ tenantId, conversationId });
          if (state.status !== 'open' || state.owner !== 'ai') return 'not-ai' as const;
        }
        const claimed = await parts.claimInbound({ tenantId, conversationId, messageId });
        // An automation took it: for the AI, as good as handled already.
        return claimed.fresh && !claimed.automation ? ('claimed' as const) : ('taken' as const);
      })();
      // Awaited below on every path; this only keeps a failure from counting as unhandled meanwhile.
      claim.catch(() => {});
      let decision: AiReplyDecision;
      try {
        decision = await parts.composeAiReply({ tenantId, conversationId, inboundMessageId: messageId, replyId, round: 0 }, { claimed: async () => (await claim) === 'claimed' });
      } catch (err) {
        if (!(err instanceof Unclaimed)) throw err;
        return { fresh: (await claim) === 'not-ai', decision: null, delivered: false, state };
      }
      if (!decision.replyId || decision.toolCalls?.length) return { fresh: true, decision, delivered: false, state };
      const sent = await parts.deliverMessage({ tenantId, messageId: decision.replyId, whileAiOwns: true });
      return { fresh: true, decision, delivered: sent.status !== 'held', state };
    },

    /**
     * The same as a local activity, for the local agent only. Runs recorded before answerInbound
     * replay with it (workflows/histories/conversation-quick-lifecycle-*).
     */
    async replyAtOnce(input: AnswerInput): Promise<QuickReply> {
      const { tenantId, conversationId, messageId, replyId } = input;
      const claimed = await parts.claimInbound({ tenantId, conversationId, messageId });
      if (!claimed.fresh || claimed.automation) return { fresh: false, decision: null, delivered: false };
      const decision = await parts.composeQuickReply({ tenantId, conversationId, inboundMessageId: messageId, replyId, round: 0 });
      if (!decision?.replyId || decision.toolCalls?.length) return { fresh: true, decision, delivered: false };
      await parts.deliverMessage({ tenantId, messageId: decision.replyId });
      return { fresh: true, decision, delivered: true };
    },
  };
}
