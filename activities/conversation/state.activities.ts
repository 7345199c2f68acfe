import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { auditLog, automationRuns, automations, conversations, messages, teams, tenants, users } from '../../db/schema/index.js';
import type { ConversationState, StateChange } from '../../temporal/contracts.js';
import type { ActivityDeps } from '../deps.js';
import { routeToAutomations } from '../automation/route-inbound.js';
import { csatScore, recordCsat, ticketAwaitingRating } from '../tickets/csat-answer.js';
import { reopenForCustomerReply, ticketsToReopen } from '../tickets/customer-reply.js';
import { signalTicketSla } from '../../temporal/ticket-sla-starter.js';

/** Could an automation take a message in this conversation: a published message trigger, or a run waiting for a reply? */
const automationWork = (tenantId: string, conversationId: string) =>
  sql<boolean>`(exists (select 1 from ${automations} where ${automations.tenantId} = ${tenantId} and ${automations.triggerType} = 'trigger.message_received' and ${automations.activeVersionId} is not null and ${automations.enabled})
    or exists (select 1 from ${automationRuns} where ${automationRuns.conversationId} = ${conversationId} and ${automationRuns.waitingFor} = 'reply'))`;

export function createStateActivities({ db, temporal }: Pick<ActivityDeps, 'db' | 'temporal'>) {
  return {
    async loadConversationState(input: { tenantId: string; conversationId: string }): Promise<ConversationState> {
      return withTenant(db, input.tenantId, async (tx) => {
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
          .where(eq(conversations.id, input.conversationId));
        if (!row) throw ApplicationFailure.nonRetryable(`conversation ${input.conversationId} not found`, 'NotFound');
        return {
          status: row.status,
          owner: row.owner,
          assigneeId: row.assigneeId,
          snoozedUntil: row.snoozedUntil?.getTime() ?? null,
          idleTimeoutMs: row.idleMinutes * 60_000,
        };
      });
    },

    /**
     * Claims an inbound message for this run. A signal repeated after its conversation's run ended
     * starts a new run; the claim is how that run knows the message was already handled.
     */
    async claimInbound(input: { tenantId: string; conversationId: string; messageId: string }): Promise<{ fresh: boolean; automation?: true }> {
      const key = idempotencyKey();
      const { rows, tickets } = await withTenant(db, input.tenantId, async (tx) => {
        const claimed = await tx
          .update(messages)
          // The routing decision, unless a retried claim made it already: the conversation's owner,
          // overruled below when an automation takes the message.
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
            id: messages.id,
            routing: messages.routing,
            automations: automationWork(input.tenantId, input.conversationId),
            tickets: ticketsToReopen(input.conversationId, input.messageId),
            awaitingRating: ticketAwaitingRating(input.conversationId, input.messageId),
            content: messages.content,
          });
        if (claimed.length !== 1) return { rows: claimed, tickets: [] };
        // A rating for a resolved ticket's survey answers it; it does not reopen it.
        const rated = claimed[0].awaitingRating ? csatScore(claimed[0].content) : null;
        if (rated !== null) await recordCsat(tx, input.tenantId, claimed[0].awaitingRating!, rated, input.messageId);
        // Otherwise the customer answered: the conversation's tickets waiting on them are open again, with the claim.
        const ids = (claimed[0].tickets ?? []).filter((id) => rated === null || id !== claimed[0].awaitingRating);
        return { rows: claimed, tickets: ids.length ? await reopenForCustomerReply(tx, input.tenantId, ids, input.messageId) : [] };
      });
      // Their SLA clocks learn it after the commit; a retried claim tells them again.
      if (temporal) for (const t of tickets) await signalTicketSla(db, temporal.client, temporal.taskQueue, input.tenantId, t.id, { status: t.status });
      if (rows.length !== 1) return { fresh: false };
      // Automations come first in the inbound order; the check rode along in the claim's statement.
      if (rows[0].routing?.to === 'automation' || rows[0].automations) {
        const runs = await routeToAutomations({ db, temporal }, input);
        if (runs.length > 0) return { fresh: true, automation: true };
      }
      return { fresh: true };
    },

    /** Writes a state change made by the workflow to the read model, with its audit record, once. */
    async recordConversationChange(change: StateChange): Promise<void> {
      const key = idempotencyKey();
      const { patch } = change;
      await withTenant(db, change.tenantId, async (tx) => {
        await tx
          .update(conversations)
          .set({
            ...(patch.status !== undefined && { status: patch.status }),
            ...(patch.owner !== undefined && { owner: patch.owner }),
            // Through a lookup: a user or team deleted since the workflow chose it becomes null
            // instead of a foreign-key error this activity would retry forever.
            ...(patch.assigneeId !== undefined && { assigneeId: patch.assigneeId === null ? null : sql`(select ${users.id} from ${users} where ${users.id} = ${patch.assigneeId})` }),
            ...(patch.teamId !== undefined && { teamId: patch.teamId === null ? null : sql`(select ${teams.id} from ${teams} where ${teams.id} = ${patch.teamId})` }),
            ...(patch.snoozedUntil !== undefined && {
              snoozedUntil: patch.snoozedUntil === null ? null : new Date(patch.snoozedUntil),
            }),
            updatedAt: sql`now()`,
          })
          .where(eq(conversations.id, change.conversationId));
        await tx
          .insert(auditLog)
          .values({
            tenantId: change.tenantId,
            actorUserId: change.actorUserId,
            action: change.action,
            targetType: 'conversation',
            targetId: change.conversationId,
            data: patch as Record<string, unknown>,
            idempotencyKey: key,
          })
          .onConflictDoNothing({ target: auditLog.idempotencyKey });
      });
    },
  };
}

/** Same for every attempt of one activity execution, different for any other: run id + activity id. */
function idempotencyKey(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? info.activityRunId ?? ''}:${info.activityId}`;
}
