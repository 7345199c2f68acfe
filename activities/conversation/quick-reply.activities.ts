import type { AiReplyDecision, ConversationState, DeliveryResult } from '../../temporal/contracts.js';
import { widgetReplySend, type createDeliveryActivities } from './delivery.activities.js';
import type { ActivityDeps } from '../deps.js';
import { afterClaim, claimWithin, conversationState, type ClaimRecord } from './inbound-claim.js';
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

type Parts = Pick<ReturnType<typeof createStateActivities>, 'claimInbound'> &
  Pick<ReturnType<typeof createReplyActivities>, 'composeQuickReply' | 'composeAiReply'> &
  Pick<ReturnType<typeof createDeliveryActivities>, 'deliverMessage'>;

type AnswerInput = { tenantId: string; conversationId: string; messageId: string; replyId: string };

/**
 * Claim, answer and send in one activity: the common case of a conversation the AI owns, done with
 * one activity instead of three, each with its own workflow task. Each step is the same code the
 * step-by-step path runs, and each is idempotent, so a retried attempt repeats nothing.
 */
export function createQuickReplyActivities(parts: Parts, deps: Pick<ActivityDeps, 'db' | 'temporal'>) {
  return {
    /**
     * A regular activity, so a takeover still lands while a model thinks: the workflow does not
     * hold its lock meanwhile, and the send goes out only while the AI still owns the conversation
     * (the database's row lock orders it with a takeover). Not sent: `delivered` false, and the
     * workflow sends or discards it under its lock.
     *
     * `verify`: the workflow assumed the conversation is open and the AI's; read its state with the
     * claim, and when it is not, roll the claim back and return that state with no decision.
     */
    async answerInbound(input: AnswerInput & { verify?: boolean }): Promise<QuickReply> {
      const { tenantId, conversationId, messageId, replyId } = input;
      const claim = { tenantId, conversationId, messageId };
      let state: ConversationState | undefined;
      let record: ClaimRecord | undefined;
      let sent: DeliveryResult | null = null;
      let decision: AiReplyDecision;
      try {
        decision = await parts.composeAiReply(
          { tenantId, conversationId, inboundMessageId: messageId, replyId, round: 0 },
          {
            // The state check (when asked) and the claim share the transaction of the reply's
            // reads, all in one round trip; the reply waits for their commit before it decides or
            // writes anything. A state the run did not expect rolls the claim back with the reads.
            within: async (tx) => {
              const [read, claimed] = await Promise.all([input.verify ? conversationState(tx, conversationId) : undefined, claimWithin(tx, claim)]);
              state = read;
              if (read && (read.status !== 'open' || read.owner !== 'ai')) throw new NotAiOwned();
              record = claimed;
            },
            claimed: async () => {
              const claimed = await afterClaim(deps, claim, record!);
              // An automation took it: for the AI, as good as handled already.
              return claimed.fresh && !claimed.automation;
            },
            // The widget's reply needs no provider: it goes out with the commit that writes it.
            sendWithin: async (tx) => {
              const send = await widgetReplySend(tx, conversationId);
              return async (id) => void (sent = await send({ tenantId, id }));
            },
          },
        );
      } catch (err) {
        if (err instanceof NotAiOwned) return { fresh: true, decision: null, delivered: false, state };
        if (!(err instanceof Unclaimed)) throw err;
        return { fresh: false, decision: null, delivered: false, state };
      }
      if (!decision.replyId || decision.toolCalls?.length) return { fresh: true, decision, delivered: false, state };
      sent ??= await parts.deliverMessage({ tenantId, messageId: decision.replyId, whileAiOwns: true });
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

/** The conversation is not what the run assumed (open, the AI's): nothing is claimed, and the run takes the regular steps. */
class NotAiOwned extends Error {
  constructor() {
    super('the conversation is not open with the AI answering');
  }
}
