import type { AiReplyDecision } from '../../temporal/contracts.js';
import type { createDeliveryActivities } from './delivery.activities.js';
import type { createReplyActivities } from './reply.activities.js';
import type { createStateActivities } from './state.activities.js';

export interface QuickReply {
  /** False: an earlier run already handled this message. */
  fresh: boolean;
  /** Null when the reply needs the regular path (a model, think time). */
  decision: AiReplyDecision | null;
  /** The reply went out already. */
  delivered: boolean;
}

type Parts = Pick<ReturnType<typeof createStateActivities>, 'claimInbound'> &
  Pick<ReturnType<typeof createReplyActivities>, 'composeQuickReply'> &
  Pick<ReturnType<typeof createDeliveryActivities>, 'deliverMessage'>;

/**
 * Claim, answer and send as one local activity: the common case of a conversation the local agent
 * answers, done inside one workflow task instead of three. Each step is the same activity code the
 * regular path runs, and each is idempotent, so a retried attempt repeats nothing.
 */
export function createQuickReplyActivities(parts: Parts) {
  return {
    async replyAtOnce(input: { tenantId: string; conversationId: string; messageId: string; replyId: string }): Promise<QuickReply> {
      const { tenantId, conversationId, messageId, replyId } = input;
      if (!(await parts.claimInbound({ tenantId, conversationId, messageId })).fresh) return { fresh: false, decision: null, delivered: false };
      const decision = await parts.composeQuickReply({ tenantId, conversationId, inboundMessageId: messageId, replyId, round: 0 });
      if (!decision?.replyId || decision.toolCalls?.length) return { fresh: true, decision, delivered: false };
      await parts.deliverMessage({ tenantId, messageId: decision.replyId });
      return { fresh: true, decision, delivered: true };
    },
  };
}
