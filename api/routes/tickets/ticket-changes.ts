import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { ticketEvents, tickets, type MacroActions } from '../../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { TRANSITIONS, canMove } from './ticket-states.js';

type Row = typeof tickets.$inferSelect;

export async function loadTicket(tx: Tx, id: string, forUpdate = false): Promise<Row> {
  const q = tx.select().from(tickets).where(eq(tickets.id, id));
  const [row] = await (forUpdate ? q.for('update') : q);
  if (!row) throw notFound('ticket');
  return row;
}

/**
 * Changes a ticket's status, priority, tags or assignee, each validated and recorded as an event
 * by `actorUserId`. `responded`: the change is the ticket's first response (its first move out of
 * new, or a reply), for the SLA clock.
 */
export async function changeTicket(
  tx: Tx,
  tenantId: string,
  id: string,
  actorUserId: string,
  c: MacroActions & { replied?: boolean; /** A status the ticket already has is a refusal, not a no-op (an explicit move). */ strictStatus?: boolean },
): Promise<{ ticket: Row; responded: boolean }> {
  const before = await loadTicket(tx, id, true);
  if (c.status !== undefined && (c.status !== before.status || c.strictStatus) && !canMove(before.status, c.status)) {
    const allowed = TRANSITIONS[before.status];
    throw new AppError('conflict', `a ${before.status} ticket cannot become ${c.status}${allowed.length ? ` (it can become ${allowed.join(', ')})` : ': closed is final'}`, [{ field: 'status', message: 'not allowed from the current status' }]);
  }
  const status = c.status !== undefined && c.status !== before.status ? c.status : undefined;
  const responded = before.firstRespondedAt === null && (status !== undefined || !!c.replied);
  const tags = c.addTags || c.removeTags ? [...new Set([...before.tags, ...(c.addTags ?? [])])].filter((t) => !(c.removeTags ?? []).includes(t)) : undefined;
  const [after] = await tx
    .update(tickets)
    .set({
      ...(status && { status }),
      ...(responded && { firstRespondedAt: sql`now()` }),
      ...(status === 'resolved' && { resolvedAt: sql`now()` }),
      ...(before.status === 'resolved' && status === 'open' && { resolvedAt: null }),
      ...(status === 'closed' && { closedAt: sql`now()` }),
      ...(c.priority !== undefined && { priority: c.priority }),
      ...(tags && { tags }),
      ...(c.assigneeId !== undefined && { assigneeId: c.assigneeId }),
      updatedAt: sql`now()`,
    })
    .where(eq(tickets.id, id))
    .returning();
  const events: Array<{ kind: string; fromValue: string | null; toValue: string | null }> = [];
  if (status) events.push({ kind: 'status_changed', fromValue: before.status, toValue: status });
  if (before.priority !== after.priority) events.push({ kind: 'priority_changed', fromValue: before.priority, toValue: after.priority });
  if (before.assigneeId !== after.assigneeId) events.push({ kind: 'assignee_changed', fromValue: before.assigneeId, toValue: after.assigneeId });
  if (tags && tags.join() !== before.tags.join()) events.push({ kind: 'tags_changed', fromValue: before.tags.join(','), toValue: tags.join(',') });
  if (events.length) await tx.insert(ticketEvents).values(events.map((e) => ({ ...e, tenantId, ticketId: id, actorUserId })));
  return { ticket: after, responded };
}
