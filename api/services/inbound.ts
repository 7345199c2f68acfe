import { and, desc, eq, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { conversations, messages } from '../../db/schema/index.js';
import type { ApiDeps } from '../context.js';
import { signalInbound } from './conversation-workflows.js';

export interface InboundMessage {
  tenantId: string;
  contactId: string;
  channel: string;
  /** The provider's message id, or the widget's client message id: the deduplication key. */
  providerMessageId: string;
  content: string;
}

export interface IngestResult {
  messageId: string;
  conversationId: string;
  duplicate: boolean;
}

/**
 * Stores an inbound message, then hands it to its conversation workflow. The unique
 * (tenant, channel, provider id) key makes a re-delivery a no-op; a message stored by a delivery
 * that crashed before signalling is signalled by the next one, so nothing is lost either.
 */
export async function ingestInbound(deps: Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue'>, m: InboundMessage): Promise<IngestResult> {
  const r = await withTenant(deps.db, m.tenantId, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${m.contactId}:${m.channel}`}, 0))`);
    const [existing] = await tx
      .select({ id: messages.id, conversationId: messages.conversationId, signaledAt: messages.signaledAt })
      .from(messages)
      .where(and(eq(messages.tenantId, m.tenantId), eq(messages.channel, m.channel), eq(messages.providerMessageId, m.providerMessageId)));
    if (existing) return { messageId: existing.id, conversationId: existing.conversationId, duplicate: true, signaled: existing.signaledAt !== null };

    let [conv] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.contactId, m.contactId), eq(conversations.channel, m.channel)))
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    if (!conv) {
      [conv] = await tx.insert(conversations).values({ tenantId: m.tenantId, contactId: m.contactId, channel: m.channel }).returning({ id: conversations.id });
    }
    const [msg] = await tx
      .insert(messages)
      .values({
        tenantId: m.tenantId,
        conversationId: conv.id,
        direction: 'inbound',
        authorRole: 'customer',
        channel: m.channel,
        content: m.content,
        deliveryStatus: 'received',
        providerMessageId: m.providerMessageId,
      })
      .returning({ id: messages.id });
    await tx
      .update(conversations)
      .set({ lastInboundAt: sql`now()`, lastMessageAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(conversations.id, conv.id));
    return { messageId: msg.id, conversationId: conv.id, duplicate: false, signaled: false };
  });

  if (!r.signaled) {
    await signalInbound(deps.temporal, deps.taskQueue, { tenantId: m.tenantId, conversationId: r.conversationId }, r.messageId);
    await withTenant(deps.db, m.tenantId, (tx) => tx.update(messages).set({ signaledAt: sql`now()` }).where(eq(messages.id, r.messageId)));
  }
  return { messageId: r.messageId, conversationId: r.conversationId, duplicate: r.duplicate };
}
