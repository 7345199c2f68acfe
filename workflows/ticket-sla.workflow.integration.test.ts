import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { ticketEvents, tickets } from '../db/schema/index.js';
import { signalTicketSla, startTicketSla } from '../temporal/ticket-sla-starter.js';
import { ticketWorkflowId } from '../temporal/contracts.js';
import { eventually, startHarness, type Harness } from '../scripts/testing/harness.js';
import { ticketSlaState } from './ticket-sla.workflow.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A ticket with an SLA measured in seconds, around the clock. */
async function ticketWithSla(label: string, policy: { firstResponseMs: number; resolutionMs: number; warnBeforeMs: number }, autoCloseMs = 60_000) {
  const ws = await h.signup(label);
  const [t] = await h.db.insert(tickets).values({ tenantId: ws.tenant.id, subject: 'SLA test', source: 'manual', priority: 'urgent' }).returning();
  await startTicketSla(h.db, h.temporal, h.taskQueue, ws.tenant.id, t.id, { policy: { ...policy, businessHours: null, timeZone: 'UTC' }, autoCloseMs });
  const handle = h.temporal.workflow.getHandle(ticketWorkflowId(ws.tenant.id, t.id));
  const row = async () => (await h.db.select().from(tickets).where(eq(tickets.id, t.id)))[0];
  const events = async () => (await h.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id)).orderBy(asc(ticketEvents.createdAt))).map((e) => e.kind);
  const signal = (s: Parameters<typeof signalTicketSla>[5]) => signalTicketSla(h.db, h.temporal, h.taskQueue, ws.tenant.id, t.id, s);
  return { ws, id: t.id, handle, row, events, signal };
}

describe('ticket SLA workflow', () => {
  it('warns before a breach, then records the breach and its time', async () => {
    const t = await ticketWithSla('sla-breach', { firstResponseMs: 1500, resolutionMs: 60_000, warnBeforeMs: 700 });
    await eventually(async () => (await t.row()).firstResponseDueAt !== null, 'the due time on the ticket');
    await eventually(async () => (await t.events()).includes('sla.first_response_breached'), 'the breach', 10_000);
    expect(await t.events()).toEqual(['sla.started', 'sla.first_response_warning', 'sla.first_response_breached']);
    const row = await t.row();
    expect(row.firstResponseBreachedAt).toBeInstanceOf(Date);
    expect(row.firstResponseDueAt).toBeNull();
    expect(row.resolutionDueAt).toBeInstanceOf(Date);
  });

  it('pauses while the ticket waits on the customer, and counts the rest after', async () => {
    const t = await ticketWithSla('sla-pause', { firstResponseMs: 60_000, resolutionMs: 3000, warnBeforeMs: 0 });
    await t.signal({ status: 'open', responded: true });
    await eventually(async () => (await t.events()).includes('sla.first_response_met'), 'the first response');
    await t.signal({ status: 'pending' });
    await eventually(async () => (await t.row()).resolutionDueAt === null, 'the clock to pause');
    const paused = await t.handle.query(ticketSlaState);
    expect(paused.resolution.remainingMs).toBeGreaterThan(1000);
    // Longer than the whole target, paused: no breach.
    await new Promise((r) => setTimeout(r, 3500));
    expect(await t.events()).not.toContain('sla.resolution_breached');
    await t.signal({ status: 'open' });
    const resumedDue = await eventually(async () => (await t.row()).resolutionDueAt, 'the clock to resume');
    expect(resumedDue!.getTime()).toBeGreaterThan(Date.now());
    await eventually(async () => (await t.events()).includes('sla.resolution_breached'), 'the breach after resuming', 10_000);
  });

  it('meets its targets on resolution, and auto-closes a resolved ticket unless it is reopened', async () => {
    const t = await ticketWithSla('sla-close', { firstResponseMs: 60_000, resolutionMs: 60_000, warnBeforeMs: 0 }, 1500);
    await h.db.update(tickets).set({ status: 'resolved' }).where(eq(tickets.id, t.id));
    await t.signal({ status: 'resolved' });
    // Reopened before the timer: it stays open.
    await t.signal({ status: 'open' });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await t.row()).status).toBe('resolved');
    await t.signal({ status: 'resolved' });
    await t.handle.result();
    const row = await t.row();
    expect(row.status).toBe('closed');
    expect(row.closedAt).toBeInstanceOf(Date);
    const events = await t.events();
    expect(events.filter((e) => e === 'sla.resolution_met').length).toBeGreaterThanOrEqual(1);
    expect(events).toContain('sla.first_response_met');
    expect(events.at(-1)).toBe('status_changed');
  });
});
