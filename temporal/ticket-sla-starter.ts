import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { withTenant, type Database } from '../db/client.js';
import { slaPolicies, tenants, tickets } from '../db/schema/index.js';
import { DEFAULT_BUSINESS_HOURS } from '../workflows/automation/calendar.js';
import { ticketWorkflowId, type TicketSlaInput, type TicketSlaSignal } from './contracts.js';

const DAY_MS = 86_400_000;

/** The SLA workflow's input for a ticket: its priority's policy and the workspace's calendar, as they are now. */
async function slaInput(db: Database, tenantId: string, ticketId: string): Promise<TicketSlaInput | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ ticket: tickets, timezone: tenants.timezone, hours: tenants.businessHours, autoCloseDays: tenants.ticketAutoCloseDays })
      .from(tickets)
      .innerJoin(tenants, eq(tenants.id, tickets.tenantId))
      .where(eq(tickets.id, ticketId));
    if (!row) return null;
    const [policy] = await tx.select().from(slaPolicies).where(and(eq(slaPolicies.priority, row.ticket.priority)));
    return {
      tenantId,
      ticketId,
      status: row.ticket.status,
      policy: policy
        ? {
            firstResponseMs: policy.firstResponseMinutes * 60_000,
            resolutionMs: policy.resolutionMinutes * 60_000,
            warnBeforeMs: policy.warnBeforeMinutes * 60_000,
            businessHours: policy.businessHours ? (row.hours ?? { ...DEFAULT_BUSINESS_HOURS, days: [...DEFAULT_BUSINESS_HOURS.days] }) : null,
            timeZone: row.timezone,
          }
        : null,
      autoCloseMs: row.autoCloseDays * DAY_MS,
    };
  });
}

/** Starts a ticket's SLA workflow (once: a second start for the same ticket is a no-op). */
export async function startTicketSla(db: Database, client: Client, taskQueue: string, tenantId: string, ticketId: string, override?: Partial<TicketSlaInput>): Promise<void> {
  const input = await slaInput(db, tenantId, ticketId);
  if (!input) return;
  try {
    await client.workflow.start('ticketSlaWorkflow', { workflowId: ticketWorkflowId(tenantId, ticketId), taskQueue, args: [{ ...input, ...override }], searchAttributes: { TenantId: [tenantId] } });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Tells a ticket's SLA workflow what changed, starting it first for a ticket filed without one (by the AI or an automation). */
export async function signalTicketSla(db: Database, client: Client, taskQueue: string, tenantId: string, ticketId: string, signal: TicketSlaSignal): Promise<void> {
  const input = await slaInput(db, tenantId, ticketId);
  if (!input) return;
  await client.workflow.signalWithStart('ticketSlaWorkflow', {
    workflowId: ticketWorkflowId(tenantId, ticketId),
    taskQueue,
    args: [input],
    signal: 'ticketChanged',
    signalArgs: [signal],
    searchAttributes: { TenantId: [tenantId] },
  });
}
