import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { conversations, messages, outbox } from '../../db/schema/index.js';
import type { DeliveryResult } from '../../temporal/contracts.js';
import { senderFor } from '../channels/channel-sender.js';
import type { ActivityDeps } from '../deps.js';

export function createDeliveryActivities({ db, channels }: ActivityDeps) {
  return {
    /**
     * Sends one outbound message exactly once. The outbox row, keyed by the message id, is claimed
     * first; a row already `sent` returns its stored provider id without calling the provider again.
     */
    async deliverMessage(input: { tenantId: string; messageId: string }): Promise<DeliveryResult> {
      const claim = await withTenant(db, input.tenantId, async (tx) => {
        const [msg] = await tx
          .select({
            id: messages.id,
            conversationId: messages.conversationId,
            channel: messages.channel,
            content: messages.content,
            direction: messages.direction,
            deliveryStatus: messages.deliveryStatus,
            contactId: conversations.contactId,
          })
          .from(messages)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .where(eq(messages.id, input.messageId));
        if (!msg) throw ApplicationFailure.nonRetryable(`message ${input.messageId} not found`, 'NotFound');
        if (msg.direction !== 'outbound') throw ApplicationFailure.nonRetryable('only outbound messages are delivered', 'InvalidMessage');
        await tx
          .insert(outbox)
          .values({ messageId: msg.id, tenantId: input.tenantId, channel: msg.channel })
          .onConflictDoNothing({ target: outbox.messageId });
        const [row] = await tx
          .update(outbox)
          .set({ attempts: sql`${outbox.attempts} + 1` })
          .where(and(eq(outbox.messageId, msg.id), eq(outbox.status, 'sending')))
          .returning();
        if (!row) {
          const [done] = await tx.select().from(outbox).where(eq(outbox.messageId, msg.id));
          return { done };
        }
        return { msg };
      });
      if ('done' in claim) {
        const done = claim.done!;
        return { status: done.status === 'sent' ? 'sent' : 'failed', providerMessageId: done.providerMessageId };
      }

      const { msg } = claim;
      heartbeat();
      let providerMessageId: string;
      try {
        ({ providerMessageId } = await senderFor(channels, msg.channel).send(
          { tenantId: input.tenantId, messageId: msg.id, conversationId: msg.conversationId, contactId: msg.contactId, channel: msg.channel, content: msg.content },
          msg.id,
        ));
      } catch (err) {
        if (err instanceof ApplicationFailure && err.nonRetryable) {
          await markFailed(input.tenantId, msg.id, err.message);
          return { status: 'failed', providerMessageId: null };
        }
        await withTenant(db, input.tenantId, (tx) =>
          tx.update(outbox).set({ lastError: String((err as Error).message ?? err) }).where(eq(outbox.messageId, msg.id)),
        );
        throw err;
      }

      await withTenant(db, input.tenantId, async (tx) => {
        await tx.update(outbox).set({ status: 'sent', providerMessageId, sentAt: sql`now()` }).where(eq(outbox.messageId, msg.id));
        // Status callbacks may have moved the message past `sent` already; never move it back.
        await tx
          .update(messages)
          .set({ deliveryStatus: 'sent', providerMessageId })
          .where(and(eq(messages.id, msg.id), inArray(messages.deliveryStatus, ['queued'])));
        await tx.update(conversations).set({ lastMessageAt: sql`now()`, updatedAt: sql`now()` }).where(eq(conversations.id, msg.conversationId));
      });
      return { status: 'sent', providerMessageId };
    },

    /** A reply that must not go out any more (an agent took over first). */
    async discardMessage(input: { tenantId: string; messageId: string }): Promise<void> {
      await withTenant(db, input.tenantId, (tx) =>
        tx
          .update(messages)
          .set({ deliveryStatus: 'discarded' })
          .where(and(eq(messages.id, input.messageId), eq(messages.deliveryStatus, 'queued'))),
      );
    },
  };

  async function markFailed(tenantId: string, messageId: string, error: string) {
    await withTenant(db, tenantId, async (tx) => {
      await tx.update(outbox).set({ status: 'failed', lastError: error }).where(eq(outbox.messageId, messageId));
      await tx.update(messages).set({ deliveryStatus: 'failed', error }).where(eq(messages.id, messageId));
    });
  }
}
