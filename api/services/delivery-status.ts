import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

export type ProviderStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * Applies a provider's status callback to an outbound message. Statuses only move forward (queued,
 * sent, delivered, read), whatever order the callbacks arrive in; `failed` is believed only before
 * delivery, and keeps the provider's error for the inbox. Returns whether anything changed.
 *
 * The message is found by our own id when the provider echoes it (a status callback URL carrying it),
 * else by the provider's message id.
 */
export async function advanceDeliveryStatus(
  db: Database,
  tenantId: string,
  ref: { messageId: string } | { channel: string; providerMessageId: string },
  status: ProviderStatus,
  error?: string | null,
  /** The provider's id for the message, stored when the message has none yet: a send whose attempt died before recording it is then not sent again. */
  providerMessageId?: string | null,
): Promise<boolean> {
  const match = 'messageId' in ref ? sql`id = ${ref.messageId}::uuid` : sql`channel = ${ref.channel} and provider_message_id = ${ref.providerMessageId}`;
  const rows = await db.execute(sql`
    update messages set delivery_status = ${status}::delivery_status,
      provider_message_id = coalesce(provider_message_id, ${providerMessageId ?? null}),
      error = case when ${status} = 'failed' then ${error ?? 'the provider could not deliver it'} else error end
    where tenant_id = ${tenantId} and direction = 'outbound' and ${match}
      and delivery_status not in ('discarded', 'failed')
      and (case when ${status} = 'failed' then delivery_status in ('queued', 'sent')
                else delivery_status_rank(delivery_status) < delivery_status_rank(${status}::delivery_status) end)
    returning id`);
  return rows.length > 0;
}
