import { and, eq, isNull, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { tenants, tickets } from '../../../db/schema/index.js';
import type { ApiDeps } from '../../context.js';
import { AppError } from '../../errors.js';
import { sendAgentReply } from '../../services/agent-replies.js';
import { CSAT_QUESTION } from '../../../activities/tickets/csat-answer.js';

type Ticket = typeof tickets.$inferSelect;

/**
 * Asks the customer to rate a ticket just resolved, once, on its conversation, when the workspace
 * wants it. The ticket is marked asked before the question goes, so two resolutions ask once.
 */
export async function requestCsat(deps: Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue'>, who: { tenantId: string; userId: string }, ticket: Ticket): Promise<void> {
  if (ticket.status !== 'resolved' || !ticket.conversationId || ticket.csatRequestedAt) return;
  const asked = await withTenant(deps.db, who.tenantId, async (tx) => {
    const [{ enabled }] = await tx.select({ enabled: tenants.csatEnabled }).from(tenants).where(eq(tenants.id, who.tenantId));
    if (!enabled) return false;
    const marked = await tx.update(tickets).set({ csatRequestedAt: sql`now()` }).where(and(eq(tickets.id, ticket.id), isNull(tickets.csatRequestedAt))).returning({ id: tickets.id });
    return marked.length === 1;
  });
  if (!asked) return;
  try {
    // The survey leaves the conversation as it is: the AI, if it answers, thanks the customer for the rating.
    await sendAgentReply(deps, who, ticket.conversationId, CSAT_QUESTION(ticket.subject), { survey: true });
  } catch (err) {
    // The conversation refused the message (say, it is closed): the ticket is resolved all the same, unasked.
    if (!(err instanceof AppError)) throw err;
    await withTenant(deps.db, who.tenantId, (tx) => tx.update(tickets).set({ csatRequestedAt: null }).where(eq(tickets.id, ticket.id)));
  }
}
