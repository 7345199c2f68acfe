/**
 * A ticket's SLA: first-response and resolution targets counted on the workspace's business
 * calendar, paused while the ticket waits on the customer, a warning before each breach, and the
 * breach recorded when it happens. After resolution it holds the auto-close timer: a ticket left
 * resolved that long closes by itself; reopening it resumes the clock instead.
 */
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { TicketSlaInput, TicketSlaSignal, TicketSlaTarget, TicketSlaView } from '../temporal/contracts.js';
import { addBusinessMs, businessMsBetween } from './automation/calendar.js';

export const ticketChanged = defineSignal<[TicketSlaSignal]>('ticketChanged');
export const ticketSlaState = defineQuery<TicketSlaView>('state');

const { recordTicketSla, autoCloseTicket } = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

type Kind = 'firstResponse' | 'resolution';
const TARGET_NAMES: Record<Kind, string> = { firstResponse: 'first_response', resolution: 'resolution' };

export async function ticketSlaWorkflow(input: TicketSlaInput): Promise<TicketSlaView> {
  const { tenantId, ticketId, policy } = input;
  const hours = policy?.businessHours ?? null;
  const zone = policy?.timeZone ?? 'UTC';
  const fresh = (ms: number | undefined): TicketSlaTarget => ({ remainingMs: null, dueAt: ms === undefined ? null : addBusinessMs(Date.now(), ms, zone, hours), warned: false, met: ms === undefined, breached: false });
  const state = input.carried ?? {
    status: input.status,
    firstResponse: fresh(policy?.firstResponseMs),
    resolution: fresh(policy?.resolutionMs),
    resolvedAt: null as number | null,
  };
  const changes: TicketSlaSignal[] = [];
  setHandler(ticketChanged, (s) => void changes.push(s));
  setHandler(ticketSlaState, () => ({ ticketId, ...state }));

  const dueOf = (t: TicketSlaTarget) => (t.met || t.breached ? null : t.dueAt);
  const record = (event: string | null) =>
    recordTicketSla({
      tenantId,
      ticketId,
      firstResponseDueAt: dueOf(state.firstResponse),
      resolutionDueAt: dueOf(state.resolution),
      event,
    });

  const pause = (t: TicketSlaTarget) => {
    if (t.met || t.breached || t.dueAt === null) return;
    t.remainingMs = businessMsBetween(Date.now(), t.dueAt, zone, hours);
    t.dueAt = null;
  };
  const resume = (t: TicketSlaTarget) => {
    if (t.met || t.breached || t.remainingMs === null) return;
    t.dueAt = addBusinessMs(Date.now(), t.remainingMs, zone, hours);
    t.remainingMs = null;
  };

  const apply = async (s: TicketSlaSignal) => {
    const events: string[] = [];
    if (s.responded && !state.firstResponse.met && !state.firstResponse.breached) {
      state.firstResponse.met = true;
      events.push('sla.first_response_met');
    }
    if (s.status && s.status !== state.status) {
      const from = state.status;
      state.status = s.status;
      if (s.status === 'pending') for (const t of [state.firstResponse, state.resolution]) pause(t);
      if (from === 'pending' && s.status !== 'resolved' && s.status !== 'closed') for (const t of [state.firstResponse, state.resolution]) resume(t);
      if (s.status === 'resolved') {
        state.resolvedAt = Date.now();
        if (!state.resolution.met && !state.resolution.breached && policy) events.push('sla.resolution_met');
        state.resolution.met = true;
        // An answer that resolves the ticket is its first response too.
        if (!state.firstResponse.met && !state.firstResponse.breached && policy) events.push('sla.first_response_met');
        state.firstResponse.met = true;
      }
      if (from === 'resolved' && s.status === 'open') {
        // Reopened: a new resolution target from now, as the customer is waiting again.
        state.resolvedAt = null;
        state.resolution = fresh(policy?.resolutionMs);
      }
    }
    await record(events.join(',') || null);
  };

  // A signal for a ticket closed before its workflow ran starts one only to find it closed.
  if (!input.carried && input.status === 'closed') return { ticketId, ...state };
  if (!input.carried) await record(policy ? 'sla.started' : null);
  for (;;) {
    while (changes.length) await apply(changes.shift()!);
    if (state.status === 'closed') break;
    if (state.status === 'resolved') {
      const reopened = await condition(() => changes.length > 0, Math.max(1, state.resolvedAt! + input.autoCloseMs - Date.now()));
      if (!reopened) {
        await autoCloseTicket({ tenantId, ticketId });
        state.status = 'closed';
        break;
      }
      continue;
    }
    const now = Date.now();
    const deadlines: Array<{ at: number; kind: Kind; what: 'warn' | 'breach' }> = [];
    for (const kind of ['firstResponse', 'resolution'] as const) {
      const t = state[kind];
      if (t.met || t.breached || t.dueAt === null) continue;
      if (!t.warned && policy && policy.warnBeforeMs > 0) deadlines.push({ at: t.dueAt - policy.warnBeforeMs, kind, what: 'warn' });
      deadlines.push({ at: t.dueAt, kind, what: 'breach' });
    }
    deadlines.sort((a, b) => a.at - b.at);
    const next = deadlines[0];
    if (!next) {
      await condition(() => changes.length > 0);
      continue;
    }
    if (await condition(() => changes.length > 0, Math.max(1, next.at - now))) continue;
    const t = state[next.kind];
    if (next.what === 'warn') {
      t.warned = true;
      await record(`sla.${TARGET_NAMES[next.kind]}_warning`);
    } else {
      t.breached = true;
      await record(`sla.${TARGET_NAMES[next.kind]}_breached`);
    }
    if (workflowInfo().continueAsNewSuggested && changes.length === 0) {
      await continueAsNew<typeof ticketSlaWorkflow>({ ...input, carried: state });
    }
  }
  return { ticketId, ...state };
}
