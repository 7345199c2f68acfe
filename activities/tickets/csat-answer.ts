import { sql } from 'drizzle-orm';
import { ticketEvents, tickets } from '../../db/schema/index.js';
import type { Tx } from '../../db/client.js';

/** The survey, as the customer reads it. */
export const CSAT_QUESTION = (subject: string) =>
  `We've marked "${subject}" as solved. How did we do? Reply with a number from 1 (poor) to 5 (great).`;

/** What the AI answers a rating with, in place of an answer from the knowledge base. */
export const CSAT_THANKS = (score: number) =>
  score >= 4 ? `Thank you for rating us ${score}/5!` : `Thank you for rating us ${score}/5. We're sorry we fell short; your rating goes to the team.`;

/** How long a survey waits for its answer. */
export const CSAT_ANSWER_DAYS = 7;

/**
 * A rating in a customer's reply: a bare 1–5 ("4", "5/5", "3 stars", "4!"), or one to five stars.
 * Anything longer is a message, not an answer.
 */
export function csatScore(text: string): number | null {
  const t = text.trim();
  const stars = /^(?:⭐|★){1,5}$/u.exec(t);
  if (stars) return [...t].length;
  const m = /^([1-5])(?:\s*(?:\/\s*5|out of 5|stars?))?\s*[.!]?$/i.exec(t);
  return m ? Number(m[1]) : null;
}

/**
 * The conversation's ticket waiting for a rating, if any (or the one this very message rated, so a
 * retried claim decides the same): an expression for the claim's own statement, so an ordinary
 * message costs no extra round trip.
 */
export const ticketAwaitingRating = (conversationId: string, messageId: string) =>
  sql<string | null>`(select t.id from ${tickets} t where t.conversation_id = ${conversationId} and t.csat_requested_at > now() - make_interval(days => ${CSAT_ANSWER_DAYS})
    and (t.csat_answered_at is null
      or exists (select 1 from ${ticketEvents} e where e.ticket_id = t.id and e.kind = 'csat' and e.data ->> 'messageId' = ${messageId}::text))
    order by t.csat_requested_at desc limit 1)`;

/** Records the rating on the ticket, once; a repeated claim finds it answered. */
export async function recordCsat(tx: Tx, tenantId: string, ticketId: string, score: number, messageId: string): Promise<void> {
  const answered = await tx
    .update(tickets)
    .set({ csatScore: score, csatAnsweredAt: sql`now()` })
    .where(sql`${tickets.id} = ${ticketId} and ${tickets.csatAnsweredAt} is null`)
    .returning({ id: tickets.id });
  if (answered.length) await tx.insert(ticketEvents).values({ tenantId, ticketId, kind: 'csat', toValue: String(score), data: { messageId, by: 'customer' } });
}
