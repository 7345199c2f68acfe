import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { roundRobinPick } from '../../../db/round-robin.js';
import {
  contacts,
  conversations,
  leadStageChanges,
  leads,
  messages,
  pipelineStages,
  tickets,
} from '../../../db/schema/index.js';
import type { AutomationActionArgs, ConversationInput } from '../../../temporal/contracts.js';
import { conversationStartOptions } from '../../../temporal/conversation-start.js';
import { createDeliveryActivities } from '../../conversation/delivery.activities.js';
import { BlockedAddressError, guardedRequest } from '../../http/guarded-request.js';
import { startTicketSla } from '../../../temporal/ticket-sla-starter.js';
import type { NodeExecutor, NodeRun } from './node-run.js';

const CONTACT_COLUMNS = new Set(['name', 'email', 'phone']);
const MAX_BODY_CHARS = 4_000;
const MAX_JSON_CHARS = 16_000;

const refuse = (message: string, type = 'AutomationNodeRefused') => ApplicationFailure.nonRetryable(message, type);

function requireContact(run: NodeRun): string {
  if (!run.contactId) throw refuse('This run has no contact: its trigger did not come from a contact', 'NoContact');
  return run.contactId;
}

function requireConversation(run: NodeRun): string {
  if (!run.conversationId) throw refuse('This run has no conversation: its trigger did not come from a conversation', 'NoConversation');
  return run.conversationId;
}

/** name/email/phone go to their columns, everything else into the attributes, merged in SQL. */
function contactPatch(values: Record<string, unknown>) {
  const columns: Record<string, string> = {};
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (CONTACT_COLUMNS.has(key)) columns[key] = String(value ?? '');
    else attributes[key] = value;
  }
  return { columns, attributes };
}

/** The conversation a send goes to: the run's own when its channel matches, else the contact's latest on that channel. */
async function conversationFor(tx: Tx, run: NodeRun, channel: string) {
  if (run.conversationId) {
    const [own] = await tx.select({ id: conversations.id, channel: conversations.channel }).from(conversations).where(eq(conversations.id, run.conversationId));
    if (own?.channel === channel) return own.id;
  }
  if (!run.contactId) return null;
  const [latest] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.contactId, run.contactId), eq(conversations.channel, channel)))
    .orderBy(desc(conversations.createdAt))
    .limit(1);
  return latest?.id ?? null;
}

/** Applies an action to the conversation through its workflow, which owns its state. */
async function actOnConversation(run: NodeRun, args: AutomationActionArgs) {
  const temporal = run.deps.temporal;
  if (!temporal) throw refuse('Automation actions on conversations need the Temporal client', 'NotConfigured');
  const conversationId = requireConversation(run);
  const input: ConversationInput = { tenantId: run.tenantId, conversationId };
  const { WithStartWorkflowOperation } = await import('@temporalio/client');
  return temporal.client.workflow.executeUpdateWithStart('automationAction', {
    args: [args],
    startWorkflowOperation: new WithStartWorkflowOperation('conversationWorkflow', {
      ...conversationStartOptions(temporal.taskQueue, input),
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

export const actionNodeExecutors: Record<string, NodeExecutor> = {
  async 'action.send_message'(run) {
    const c = run.config as { channel: string; text?: string; whatsappTemplate?: { contentSid: string; variables: Record<string, unknown> }; subject?: string };
    const template = c.whatsappTemplate
      ? { contentSid: c.whatsappTemplate.contentSid, variables: Object.fromEntries(Object.entries(c.whatsappTemplate.variables).map(([k, v]) => [k, String(v ?? '')])) }
      : undefined;
    const content = c.text ?? `[template ${template!.contentSid}] ${Object.values(template!.variables).join(' · ')}`.trim();
    // A test run never reaches a customer: the sandbox keeps what would have been sent.
    if (run.test) return { sandbox: true, channel: c.channel, text: content, ...(template && { template }) };
    const conversationId = await withTenant(run.deps.db, run.tenantId, async (tx) => {
      const target = await conversationFor(tx, run, c.channel);
      if (!target) return null;
      await tx
        .insert(messages)
        .values({
          id: run.effectId,
          tenantId: run.tenantId,
          conversationId: target,
          direction: 'outbound',
          authorRole: 'system',
          channel: c.channel,
          content,
          deliveryStatus: 'queued',
          metadata: { automation: { runId: run.runId, nodeId: run.nodeId }, ...(c.subject && { subject: c.subject }), ...(template && { whatsappTemplate: template }) },
        })
        .onConflictDoNothing();
      return target;
    });
    if (!conversationId) throw refuse(`The contact has no ${c.channel} conversation to send on`, 'NoConversation');
    const sent = await createDeliveryActivities(run.deps).deliverMessage({ tenantId: run.tenantId, messageId: run.effectId });
    if (sent.status === 'failed') throw refuse(`The ${c.channel} message was not sent`, 'SendFailed');
    return { messageId: run.effectId, conversationId, status: sent.status };
  },

  async 'action.update_contact'(run) {
    const contactId = requireContact(run);
    const { columns, attributes } = contactPatch(run.config.attributes as Record<string, unknown>);
    if (run.test) return { dryRun: true, contactId, set: { ...columns, attributes } };
    await withTenant(run.deps.db, run.tenantId, (tx) =>
      tx
        .update(contacts)
        .set({ ...columns, attributes: sql`${contacts.attributes} || ${JSON.stringify(attributes)}::jsonb`, updatedAt: sql`now()` })
        .where(eq(contacts.id, contactId)),
    );
    return { contactId, updated: Object.keys(run.config.attributes as object) };
  },

  async 'action.create_contact'(run) {
    const { columns, attributes } = contactPatch(run.config.attributes as Record<string, unknown>);
    if (run.test) return { dryRun: true, contact: { ...columns, attributes } };
    await withTenant(run.deps.db, run.tenantId, (tx) =>
      tx.insert(contacts).values({ id: run.effectId, tenantId: run.tenantId, ...columns, attributes }).onConflictDoNothing(),
    );
    return { contactId: run.effectId };
  },

  async 'action.create_lead'(run) {
    const contactId = requireContact(run);
    const c = run.config as { pipelineId: string; stageId?: string; value?: number; title: string };
    return withTenant(run.deps.db, run.tenantId, async (tx) => {
      const stages = await tx.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, c.pipelineId)).orderBy(asc(pipelineStages.position));
      if (stages.length === 0) throw refuse(`Pipeline ${c.pipelineId} does not exist or has no stages`, 'NotFound');
      const stage = c.stageId ? stages.find((s) => s.id === c.stageId) : (stages.find((s) => s.kind === 'open') ?? stages[0]);
      if (!stage) throw refuse(`Stage ${c.stageId} is not in pipeline ${c.pipelineId}`, 'NotFound');
      if (run.test) return { dryRun: true, pipelineId: c.pipelineId, stageId: stage.id, title: c.title };
      await tx
        .insert(leads)
        .values({
          id: run.effectId, tenantId: run.tenantId, pipelineId: c.pipelineId, stageId: stage.id, contactId, title: c.title, value: c.value === undefined ? null : String(c.value), source: 'automation',
          // At the bottom of its column on the board.
          position: sql`(select coalesce(max(${leads.position}) + 1, 0) from ${leads} where ${leads.stageId} = ${stage.id})`,
        })
        .onConflictDoNothing();
      return { leadId: run.effectId, pipelineId: c.pipelineId, stageId: stage.id, stage: stage.name };
    });
  },

  async 'action.move_lead_stage'(run) {
    const { stageId } = run.config as { stageId: string };
    return withTenant(run.deps.db, run.tenantId, async (tx) => {
      const [stage] = await tx.select().from(pipelineStages).where(eq(pipelineStages.id, stageId));
      if (!stage) throw refuse(`Stage ${stageId} does not exist`, 'NotFound');
      // The contact's most recent lead in that pipeline.
      const contactId = requireContact(run);
      const [lead] = await tx
        .select()
        .from(leads)
        .where(and(eq(leads.contactId, contactId), eq(leads.pipelineId, stage.pipelineId)))
        .orderBy(desc(leads.updatedAt))
        .limit(1);
      if (!lead) throw refuse('The contact has no lead in that pipeline', 'NotFound');
      if (lead.stageId === stage.id) return { leadId: lead.id, stageId: stage.id, stage: stage.name, moved: false };
      if (run.test) return { dryRun: true, leadId: lead.id, stageId: stage.id };
      const [change] = await tx
        .insert(leadStageChanges)
        .values({ id: run.effectId, tenantId: run.tenantId, leadId: lead.id, fromStageId: lead.stageId, toStageId: stage.id })
        .onConflictDoNothing()
        .returning({ id: leadStageChanges.id });
      if (change) await tx.update(leads).set({ stageId: stage.id, updatedAt: sql`now()` }).where(eq(leads.id, lead.id));
      return { leadId: lead.id, stageId: stage.id, stage: stage.name, moved: true };
    });
  },

  async 'action.create_ticket'(run) {
    const c = run.config as { subject: string; priority: 'urgent' | 'high' | 'normal' | 'low' };
    if (run.test) return { dryRun: true, subject: c.subject, priority: c.priority };
    await withTenant(run.deps.db, run.tenantId, (tx) =>
      tx
        .insert(tickets)
        .values({ id: run.effectId, tenantId: run.tenantId, conversationId: run.conversationId, contactId: run.contactId, subject: c.subject, priority: c.priority, source: 'automation' })
        .onConflictDoNothing(),
    );
    // Its SLA clock starts with it (once: a retried step finds it started).
    if (run.deps.temporal) await startTicketSla(run.deps.db, run.deps.temporal.client, run.deps.temporal.taskQueue, run.tenantId, run.effectId);
    return { ticketId: run.effectId };
  },

  async 'action.assign'(run) {
    const c = run.config as { userId?: string; teamId?: string; roundRobinTeamId?: string };
    requireConversation(run);
    let assigneeId: string | undefined = c.userId;
    if (c.roundRobinTeamId) {
      const picked = run.test ? null : await withTenant(run.deps.db, run.tenantId, (tx) => roundRobinPick(tx, c.roundRobinTeamId!));
      if (!run.test && !picked) throw refuse(`Team ${c.roundRobinTeamId} has no members to assign to`, 'NotFound');
      assigneeId = picked ?? undefined;
    }
    const args: AutomationActionArgs = { runId: run.runId, action: 'assign', ...(assigneeId && { assigneeId }), ...(c.teamId && { teamId: c.teamId }), ...(c.roundRobinTeamId && { teamId: c.roundRobinTeamId }) };
    if (run.test) return { dryRun: true, ...c };
    await actOnConversation(run, args);
    return { assigneeId: assigneeId ?? null, teamId: args.teamId ?? null };
  },

  async 'action.tag'(run) {
    const contactId = requireContact(run);
    const c = run.config as { add: string[]; remove: string[] };
    if (run.test) return { dryRun: true, ...c };
    const [row] = await withTenant(run.deps.db, run.tenantId, (tx) =>
      tx
        .update(contacts)
        .set({
          // As JSON: drizzle would expand a JS array into a parameter list.
          tags: sql`(select coalesce(array_agg(distinct t order by t), '{}') from unnest(${contacts.tags} || array(select jsonb_array_elements_text(${JSON.stringify(c.add)}::jsonb))) t
            where t <> all(array(select jsonb_array_elements_text(${JSON.stringify(c.remove)}::jsonb))))`,
          updatedAt: sql`now()`,
        })
        .where(eq(contacts.id, contactId))
        .returning({ tags: contacts.tags }),
    );
    if (!row) throw refuse('The contact no longer exists', 'NotFound');
    return { tags: row.tags };
  },

  async 'action.handoff'(run) {
    const { to } = run.config as { to: 'human' | 'ai' };
    if (run.test) return { dryRun: true, to };
    const view = await actOnConversation(run, { runId: run.runId, action: 'handoff', to });
    return { owner: (view as { owner: string }).owner };
  },

  async 'action.http_request'(run) {
    const c = run.config as { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; headers?: Record<string, unknown>; body?: string };
    if (run.test && c.method !== 'GET') return { dryRun: true, method: c.method, url: c.url };
    let url: URL;
    try {
      url = new URL(c.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw refuse(`"${c.url}" is not an http(s) URL`, 'BadUrl');
    }
    const headers: Record<string, string> = { 'user-agent': 'Switchboard-Automation/1', 'idempotency-key': `${run.runId}:${run.seq}` };
    for (const [k, v] of Object.entries(c.headers ?? {})) headers[k.toLowerCase()] = String(v ?? '');
    if (c.body !== undefined && !headers['content-type']) headers['content-type'] = /^\s*[[{]/.test(c.body) ? 'application/json' : 'text/plain';
    let res;
    try {
      res = await guardedRequest({ url: url.toString(), method: c.method, headers, body: c.method === 'GET' ? undefined : c.body, timeoutMs: 10_000, allowPrivateNetworks: run.deps.allowPrivateNetworks });
    } catch (err) {
      if (err instanceof BlockedAddressError) throw refuse(`The URL is not allowed: ${err.message}`, 'BlockedAddress');
      throw err;
    }
    // Worth another attempt: the endpoint is down or asks us to slow down.
    if (res.status >= 500 || res.status === 429) throw new Error(`${c.method} ${url.host} answered ${res.status}`);
    // The output feeds later nodes' expressions: a large body is kept as bounded text.
    let body: unknown = res.body.slice(0, MAX_BODY_CHARS);
    if (res.body.length <= MAX_JSON_CHARS) {
      try {
        body = JSON.parse(res.body);
      } catch {
        // Not JSON: the text, bounded.
      }
    }
    if (res.status >= 400) throw refuse(`${c.method} ${url.host} answered ${res.status}`, 'HttpError');
    return { status: res.status, body };
  },
};
