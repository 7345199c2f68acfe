import { inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { ticketEvents, tickets } from '../../db/schema/index.js';
import type { TicketStatus } from '../../temporal/contracts.js';

/**
 * The conversation's tickets a customer message moves back to open: those waiting on the customer
 * (pending) or resolved, and those this very message moved already, so a retried claim still
 * tells their SLA clocks. An expression for the claim's own statement: no extra round trip.
 */
export const ticketsToReopen = (conversationId: string, messageId: string) =>
  sql<string[] | null>`(select array_agg(t.id) from ${tickets} t where t.conversation_id = ${conversationId}
    and (t.status in ('pending', 'resolved')
      or exists (select 1 from ${ticketEvents} e where e.ticket_id = t.id and e.kind = 'status_changed' and e.data ->> 'messageId' = ${messageId}::text)))`;

/**
 * Moves those still pending or resolved to open, recording the customer's message as the cause.
 * Returns every one's status now, for its SLA clock: an agent may have moved one since.
 */
export async function reopenForCustomerReply(tx: Tx, tenantId: string, ticketIds: string[], messageId: string): Promise<Array<{ id: string; status: TicketStatus }>> {
  const current = await tx.select({ id: tickets.id, status: tickets.status }).from(tickets).where(inArray(tickets.id, ticketIds)).for('update');
  const waiting = current.filter((t) => t.status === 'pending' || t.status === 'resolved');
  if (!waiting.length) return current;
  await tx
    .update(tickets)
    .set({ status: 'open', resolvedAt: null, updatedAt: sql`now()` })
    .where(inArray(tickets.id, waiting.map((t) => t.id)));
  await tx.insert(ticketEvents).values(waiting.map((t) => ({ tenantId, ticketId: t.id, kind: 'status_changed', fromValue: t.status, toValue: 'open', data: { messageId, by: 'customer' } })));
  return current.map((t) => ({ id: t.id, status: waiting.includes(t) ? 'open' : t.status }));
}
