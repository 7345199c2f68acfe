import { ApplicationFailure } from '@temporalio/common';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { automationRuns, automations, conversations, messages, tenants } from '../../db/schema/index.js';
import type { ConversationState, TicketStatus } from '../../temporal/contracts.js';
import type { ActivityDeps } from '../deps.js';
import { idempotencyKey } from '../activity-key.js';
import { routeToAutomations } from '../automation/route-inbound.js';
import { csatScore, recordCsat, ticketAwaitingRating } from '../tickets/csat-answer.js';
import { reopenForCustomerReply, ticketsToReopen } from '../tickets/customer-reply.js';
import { signalTicketSla } from '../../temporal/ticket-sla-starter.js';

export interface ClaimInput {
  tenantId: string;
  conversationId: string;
  messageId: string;
}

export interface ClaimResult {
  /** False: an earlier run already handled this message. */
  fresh: boolean;
  /** An automation took the message. */
  automation?: true;
}

/** What the claim's transaction did, for the steps that must wait for its commit. */
export interface ClaimRecord {
  claimed: { routing: (typeof messages.$inferSelect)['routing']; automations: boolean } | null;
  reopened: Array<{ id: string; status: TicketStatus }>;
}

/** Could an automation take a message in this conversation: a published message trigger, or a run waiting for a reply? */
const automationWork = (tenantId: string, conversationId: string) =>
  sql<boolean>`(exists (select 1 from ${automations} where ${automations.tenantId} = ${tenantId} and ${automations.triggerType} = 'trigger.message_received' and ${automations.activeVersionId} is not null and ${automations.enabled})
    or exists (select 1 from ${automationRuns} where ${automationRuns.conversationId} = ${conversationId} and ${automationRuns.waitingFor} = 'reply'))`;

/** The conversation's state as the workflow keeps it, read in `tx`. */
export async function conversationState(tx: Tx, conversationId: string): Promise<ConversationState> {
  const [row] = await tx
    .select({
      status: conversations.status,
      owner: conversations.owner,
      assigneeId: conversations.assigneeId,
      snoozedUntil: conversations.snoozedUntil,
      idleMinutes: tenants.idleAutoCloseMinutes,
    })
    .from(conversations)
    .innerJoin(tenants, eq(tenants.id, conversations.tenantId))
    .where(eq(conversations.id, conversationId));
  if (!row) throw ApplicationFailure.nonRetryable(`conversation ${conversationId} not found`, 'NotFound');
  return { status: row.status, owner: row.owner, assigneeId: row.assigneeId, snoozedUntil: row.snoozedUntil?.getTime() ?? null, idleTimeoutMs: row.idleMinutes * 60_000 };
}

/**
 * Claims an inbound message for the calling activity, in the caller's transaction. A signal
 * repeated after its conversation's run ended starts a new run; the claim is how that run knows
 * the message was already handled. Whatever must wait for the commit is left to `afterClaim`.
 */
export async function claimWithin(tx: Tx, input: ClaimInput): Promise<ClaimRecord> {
  const key = idempotencyKey();
  const [claimed] = await tx
    .update(messages)
    // The routing decision, unless a retried claim made it already: the conversation's owner,
    // overruled in afterClaim when an automation takes the message.
    .set({ handledBy: key, routing: sql`coalesce(${messages.routing}, jsonb_build_object('to', (select ${conversations.owner}::text from ${conversations} where ${conversations.id} = ${input.conversationId})))` })
    .where(
      and(
        eq(messages.id, input.messageId),
        eq(messages.conversationId, input.conversationId),
        eq(messages.direction, 'inbound'),
        or(isNull(messages.handledBy), eq(messages.handledBy, key)),
      ),
    )
    .returning({
      routing: messages.routing,
      automations: automationWork(input.tenantId, input.conversationId),
      tickets: ticketsToReopen(input.conversationId, input.messageId),
      awaitingRating: ticketAwaitingRating(input.conversationId, input.messageId),
      content: messages.content,
    });
  if (!claimed) return { claimed: null, reopened: [] };
  // A rating for a resolved ticket's survey answers it; it does not reopen it.
  const rated = claimed.awaitingRating ? csatScore(claimed.content) : null;
  if (rated !== null) await recordCsat(tx, input.tenantId, claimed.awaitingRating!, rated, input.messageId);
  // Otherwise the customer answered: the conversation's tickets waiting on them are open again, with the claim.
  const ids = (claimed.tickets ?? []).filter((id) => rated === null || id !== claimed.awaitingRating);
  const reopened = ids.length ? await reopenForCustomerReply(tx, input.tenantId, ids, input.messageId) : [];
  return { claimed: { routing: claimed.routing, automations: claimed.automations }, reopened };
}

/** The claim's steps after its commit: the reopened tickets' SLA clocks, and the automations first in the inbound order. */
export async function afterClaim({ db, temporal }: Pick<ActivityDeps, 'db' | 'temporal'>, input: ClaimInput, record: ClaimRecord): Promise<ClaimResult> {
  // A retried claim tells the clocks again.
  if (temporal) for (const t of record.reopened) await signalTicketSla(db, temporal.client, temporal.taskQueue, input.tenantId, t.id, { status: t.status });
  if (!record.claimed) return { fresh: false };
  // The check rode along in the claim's statement.
  if (record.claimed.routing?.to === 'automation' || record.claimed.automations) {
    const runs = await routeToAutomations({ db, temporal }, input);
    if (runs.length > 0) return { fresh: true, automation: true };
  }
  return { fresh: true };
}
