import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { campaignRecipients, contacts, conversations, messages, stockSubscriptions, tickets, toolCalls } from '../../db/schema/index.js';
import type { AgentDecision, ToolTurn } from '../ai/reply-pipeline.js';
import { productKey } from '../ai/handlers/stock-alert.js';
import type { PlannedCall } from '../ai/tools/policy.js';

/** What a reply's records in PostgreSQL look like: read and written by composeAiReply and the tool activities. */

export type UsageRow = NonNullable<(typeof toolCalls.$inferSelect)['usage']>;

/** The AI's reply to an inbound message, if one was written (there is at most one). */
export async function aiReplyTo(tx: Tx, inboundId: string) {
  const [reply] = await tx
    .select({ id: messages.id, attributes: messages.attributes })
    .from(messages)
    // A literal role, not a parameter: a plan kept for every value can then use the partial unique
    // index (messages_ai_reply_key), whose predicate it must prove.
    .where(and(eq(messages.inReplyTo, inboundId), sql`${messages.authorRole} = 'ai'`));
  return reply;
}

/** The calls one model turn proposed for an inbound message, in the order proposed. */
export function roundCalls(tx: Tx, messageId: string, round: number) {
  return tx
    .select({ id: toolCalls.id, needsApproval: toolCalls.needsApproval, status: toolCalls.status })
    .from(toolCalls)
    .where(and(eq(toolCalls.messageId, messageId), eq(toolCalls.round, round)))
    .orderBy(asc(toolCalls.ordinal));
}

/** Tool calls of this message's earlier turns, as the pipeline replays them, with their turns' token usage. */
export async function toolTurns(tx: Tx, messageId: string, beforeRound: number): Promise<{ turns: ToolTurn[]; usage: UsageRow[] }> {
  const rows = await tx
    .select()
    .from(toolCalls)
    .where(and(eq(toolCalls.messageId, messageId), lt(toolCalls.round, beforeRound)))
    .orderBy(asc(toolCalls.round), asc(toolCalls.ordinal));
  const turns: ToolTurn[] = [];
  for (const r of rows) {
    turns[r.round] ??= { calls: [] };
    const result = (r.result as ToolTurn['calls'][number]['result'] | null) ?? { ok: false, message: r.reason ?? 'not run' };
    turns[r.round].calls.push({ providerCallId: r.providerCallId, name: r.name, arguments: JSON.stringify(r.arguments), result: { ok: result.ok, message: result.message, data: result.data } });
  }
  return { turns: turns.filter(Boolean), usage: rows.flatMap((r) => (r.usage ? [r.usage] : [])) };
}

/** Records one turn's proposed calls (a retried turn finds them recorded) and returns them. */
export async function recordToolCalls(
  tx: Tx,
  at: { tenantId: string; conversationId: string; messageId: string; round: number },
  planned: PlannedCall[],
  usage: UsageRow | undefined,
) {
  await tx
    .insert(toolCalls)
    .values(
      planned.map((p, ordinal) => ({
        ...at,
        ordinal,
        providerCallId: p.providerCallId || `call-${at.round}-${ordinal}`,
        name: p.name.slice(0, 80),
        arguments: p.arguments,
        status: p.status,
        needsApproval: p.needsApproval,
        reason: p.reason,
        ...(p.status === 'blocked' && { result: { ok: false, message: `Not run: ${p.reason}` }, completedAt: new Date() }),
        ...(ordinal === 0 && usage && { usage }),
      })),
    )
    .onConflictDoNothing();
  return roundCalls(tx, at.messageId, at.round);
}

/** Blocked calls are already answered; the rest go to the workflow, which asks for approval only where it is still due. */
export const pendingCalls = (rows: Array<{ id: string; status: string }>) =>
  rows.filter((r) => r.status !== 'blocked').map((r) => ({ id: r.id, needsApproval: r.status === 'awaiting_approval' }));

/** Every model turn of one answer counts towards the reply's tokens and cost. */
export function sumUsage(rows: UsageRow[]): UsageRow | undefined {
  if (rows.length === 0) return undefined;
  const last = rows[rows.length - 1];
  return rows.reduce(
    (a, r) => ({
      ...a,
      promptTokens: a.promptTokens + r.promptTokens,
      completionTokens: a.completionTokens + r.completionTokens,
      cost: { usd: a.cost.usd + r.cost.usd, priced: a.cost.priced && r.cost.priced },
    }),
    { provider: last.provider, model: last.model, promptTokens: 0, completionTokens: 0, cost: { usd: 0, priced: true } },
  );
}

export const inboundAttributes = (d: AgentDecision, agentConfigVersion: number) => ({
  ...d.triage,
  custom: d.custom,
  route: d.route,
  escalation: d.escalation,
  guardrails: d.guardrails,
  agentConfigVersion,
});

/**
 * A message the AI says, queued for the workflow to deliver. Idempotent on its id, which the
 * workflow chose; the channel is the conversation's unless given.
 */
export async function queueAiMessage(
  tx: Tx,
  m: { id: string; tenantId: string; conversationId: string; content: string; attributes: Record<string, unknown>; channel?: string; inReplyTo?: string; citations?: (typeof messages.$inferInsert)['citations'] },
) {
  return tx
    .insert(messages)
    .values({
      id: m.id,
      tenantId: m.tenantId,
      conversationId: m.conversationId,
      direction: 'outbound',
      authorRole: 'ai',
      channel: m.channel ?? sql`(select channel from conversations where id = ${m.conversationId})`,
      content: m.content,
      deliveryStatus: 'queued',
      inReplyTo: m.inReplyTo,
      citations: m.citations,
      attributes: m.attributes,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
}

/** Adds a tag to a contact, once. */
export function addContactTag(tx: Tx, contactId: string, tag: string) {
  return tx
    .update(contacts)
    .set({ tags: sql`(select array(select distinct unnest(${contacts.tags} || array[${tag}]::text[])))`, updatedAt: sql`now()` })
    .where(eq(contacts.id, contactId));
}

const TICKET_PRIORITY = { low: 'low', medium: 'normal', high: 'high', urgent: 'urgent' } as const;

/** What the router decided beyond the reply: tickets, team routing, stock alerts, campaign answers. Written with the reply, once. */
export async function applyRouteEffects(tx: Tx, at: { tenantId: string; conversationId: string }, contactId: string, channel: string, d: AgentDecision) {
  if (d.escalation) {
    const e = d.escalation;
    await tx.update(conversations).set({ team: e.team ?? null, priority: e.priority }).where(eq(conversations.id, at.conversationId));
    if (e.createTicket) {
      await tx.insert(tickets).values({
        tenantId: at.tenantId,
        conversationId: at.conversationId,
        contactId,
        subject: `Escalated: ${d.triage.intent.replace(/_/g, ' ')} (rule ${e.ruleId})`,
        description: `Raised by escalation rule ${e.ruleId}: ${d.triage.sentiment} sentiment, ${d.triage.priority} priority.`,
        priority: TICKET_PRIORITY[e.priority as keyof typeof TICKET_PRIORITY] ?? 'normal',
        team: e.team ?? null,
        source: 'escalation',
      });
    }
  }
  if (d.stockAlert) {
    await tx
      .insert(stockSubscriptions)
      .values({ tenantId: at.tenantId, contactId, conversationId: at.conversationId, channel, product: d.stockAlert.product, productKey: productKey(d.stockAlert.product) })
      .onConflictDoNothing();
    await addContactTag(tx, contactId, 'stock_alert');
  }
  if (d.campaignResponse) {
    await tx
      .update(campaignRecipients)
      .set({ response: d.campaignResponse.response, respondedAt: sql`now()` })
      .where(and(eq(campaignRecipients.id, d.campaignResponse.recipientId), isNull(campaignRecipients.response)));
    if (d.campaignResponse.response === 'opt_out') {
      await tx
        .update(contacts)
        .set({ attributes: sql`${contacts.attributes} || '{"marketingOptOut": true}'::jsonb`, updatedAt: sql`now()` })
        .where(eq(contacts.id, contactId));
    }
  }
}
