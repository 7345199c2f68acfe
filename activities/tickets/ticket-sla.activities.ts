import { Context } from '@temporalio/activity';
import { and, eq, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { ticketEvents, tickets } from '../../db/schema/index.js';
import type { ActivityDeps } from '../deps.js';

/** The SLA workflow's writes: the targets' due times on the ticket, and its warnings and breaches as events. */
export function createTicketSlaActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    async recordTicketSla(input: { tenantId: string; ticketId: string; firstResponseDueAt: number | null; resolutionDueAt: number | null; event: string | null }): Promise<void> {
      const { workflowExecution, activityId } = Context.current().info;
      // A retried attempt writes the same events once.
      const key = `${workflowExecution?.runId}:${activityId}`;
      const kinds = input.event ? input.event.split(',') : [];
      await withTenant(db, input.tenantId, async (tx) => {
        await tx
          .update(tickets)
          .set({
            firstResponseDueAt: input.firstResponseDueAt === null ? null : new Date(input.firstResponseDueAt),
            resolutionDueAt: input.resolutionDueAt === null ? null : new Date(input.resolutionDueAt),
            ...(kinds.includes('sla.first_response_breached') && { firstResponseBreachedAt: sql`coalesce(${tickets.firstResponseBreachedAt}, now())` }),
            ...(kinds.includes('sla.resolution_breached') && { resolutionBreachedAt: sql`coalesce(${tickets.resolutionBreachedAt}, now())` }),
          })
          .where(eq(tickets.id, input.ticketId));
        for (const kind of kinds) {
          await tx.execute(sql`insert into ${ticketEvents} (tenant_id, ticket_id, kind, data)
            select ${input.tenantId}, ${input.ticketId}, ${kind}, ${JSON.stringify({ key })}::jsonb
            where not exists (select 1 from ${ticketEvents} where ticket_id = ${input.ticketId} and kind = ${kind} and data->>'key' = ${key})`);
        }
      });
    },

    /** Closes a ticket left resolved for the workspace's auto-close period; a reopened one is left alone. */
    async autoCloseTicket(input: { tenantId: string; ticketId: string }): Promise<void> {
      await withTenant(db, input.tenantId, async (tx) => {
        const [closed] = await tx
          .update(tickets)
          .set({ status: 'closed', closedAt: sql`now()`, updatedAt: sql`now()` })
          .where(and(eq(tickets.id, input.ticketId), eq(tickets.status, 'resolved')))
          .returning({ id: tickets.id });
        if (closed) await tx.insert(ticketEvents).values({ tenantId: input.tenantId, ticketId: input.ticketId, kind: 'status_changed', fromValue: 'resolved', toValue: 'closed', data: { auto: true } });
      });
    },
  };
}
