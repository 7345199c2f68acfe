import { sql } from 'drizzle-orm';
import type { ApiDeps } from '../context.js';

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
 * Stores an inbound message in one round trip, then queues it for its conversation workflow. The
 * unique (tenant, channel, provider id) key makes a re-delivery a no-op, and the stored row is what
 * guarantees the signal (see SignalPump), so the provider is answered as soon as the row commits.
 */
export async function ingestInbound(deps: Pick<ApiDeps, 'db' | 'signals'>, m: InboundMessage): Promise<IngestResult> {
  // One statement, one round trip; the function itself drops to the tenant role (migration 0006).
  const [r] = await deps.db.execute<{ message_id: string; conversation_id: string; duplicate: boolean; signaled: boolean; opened: boolean }>(
    sql`select * from ingest_inbound_message_as_tenant(${m.tenantId}, ${m.contactId}, ${m.channel}, ${m.providerMessageId}, ${m.content})`,
  );
  if (!r.signaled) void deps.signals.enqueue({ tenantId: m.tenantId, conversationId: r.conversation_id, messageId: r.message_id, opening: r.opened });
  return { messageId: r.message_id, conversationId: r.conversation_id, duplicate: r.duplicate };
}
