import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { automationRuns, conversations, messages } from '../../db/schema/index.js';
import { boundedText, insertRun, listeningAutomations, startRunWorkflow } from '../../temporal/automation-starter.js';
import type { AutomationReplySignal } from '../../temporal/contracts.js';
import { needsIntent, triggerMatches } from '../../workflows/automation/trigger-match.js';
import { triage } from '../ai/local/triage.js';
import type { ActivityDeps } from '../deps.js';

const MESSAGE_TRIGGER = 'trigger.message_received';


/**
 * Routes a claimed inbound message to automations, first rule of the inbound order: a run waiting
 * for this customer's reply takes it; otherwise every published automation whose message trigger
 * matches starts a run. Returns the runs it went to (none: the AI or the humans have it).
 *
 * The decision is written on the message in the same transaction as the run rows, so a retried
 * claim repeats the same decision, and only then are the runs signalled or started (both repeatable).
 */
export async function routeToAutomations(
  deps: Pick<ActivityDeps, 'db' | 'temporal'>,
  input: { tenantId: string; conversationId: string; messageId: string },
): Promise<string[]> {
  const { tenantId, conversationId, messageId } = input;
  const plan = await withTenant(deps.db, tenantId, async (tx) => {
    const [msg] = await tx
      .select({ routing: messages.routing, content: messages.content, channel: messages.channel, contactId: conversations.contactId })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(eq(messages.id, messageId));
    if (!msg) return null;
    if (msg.routing?.to === 'automation') {
      // A retried claim: the decision stands; only the signals and starts are repeated.
      const ids = [...(msg.routing.runIds ?? []), ...(msg.routing.resumedRunIds ?? [])];
      const runs = ids.length ? await tx.select({ id: automationRuns.id, workflowId: automationRuns.workflowId }).from(automationRuns).where(inArray(automationRuns.id, ids)) : [];
      const resumed = new Set(msg.routing.resumedRunIds ?? []);
      return { resumed: runs.filter((r) => resumed.has(r.id)), started: runs.filter((r) => !resumed.has(r.id)) };
    }
    // Taken atomically: a run whose wait times out at the same moment finds it taken and waits for this signal.
    const resumed = await tx
      .update(automationRuns)
      .set({ waitingFor: null, waitingNodeId: null, status: 'running' })
      .where(and(eq(automationRuns.conversationId, conversationId), eq(automationRuns.waitingFor, 'reply')))
      .returning({ id: automationRuns.id, workflowId: automationRuns.workflowId });
    const started: Array<{ id: string; workflowId: string }> = [];
    if (resumed.length === 0) {
      const listening = await listeningAutomations(tx, MESSAGE_TRIGGER);
      const intent = listening.some((a) => needsIntent(a.config ?? {})) ? triage(msg.content, msg.channel).intent : null;
      const text = boundedText(msg.content);
      for (const a of listening) {
        if (!a.versionId || !triggerMatches(a.config ?? {}, { type: MESSAGE_TRIGGER, message: { channel: msg.channel, text: msg.content, intent } })) continue;
        const run = await insertRun(tx, {
          tenantId,
          automationId: a.id,
          versionId: a.versionId,
          eventKey: `message:${messageId}`,
          triggerType: MESSAGE_TRIGGER,
          trigger: { message: { id: messageId, channel: msg.channel, text, ...(intent && { intent }) }, conversationId, contactId: msg.contactId },
          conversationId,
          contactId: msg.contactId,
        });
        started.push({ id: run.runId, workflowId: run.workflowId });
      }
    }
    if (resumed.length + started.length === 0) return null;
    await tx
      .update(messages)
      .set({ routing: { to: 'automation', runIds: started.map((r) => r.id), ...(resumed.length && { resumedRunIds: resumed.map((r) => r.id) }) } })
      .where(eq(messages.id, messageId));
    return { resumed, started };
  });
  if (!plan) return [];
  const temporal = deps.temporal;
  if (!temporal) throw new Error('routing to automations needs the Temporal client');
  for (const run of plan.resumed) {
    // The workflow drops a reply it already has, so a repeated signal is harmless.
    try {
      await temporal.client.workflow.getHandle(run.workflowId).signal('reply', { messageId } satisfies AutomationReplySignal);
    } catch (err) {
      // Terminated by hand in the meantime: the run's record says so; the message stays routed to it.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  for (const run of plan.started) await startRunWorkflow(temporal.client, temporal.taskQueue, tenantId, { runId: run.id, workflowId: run.workflowId });
  return [...plan.resumed, ...plan.started].map((r) => r.id);
}
