import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { decryptCredential } from '../../../db/credential-crypto.js';
import { activeAgentConfig } from '../../../db/mongo/agent-configs.js';
import { contacts, conversations, followUps, httpTools, toolCalls } from '../../../db/schema/index.js';
import { queueAiMessage } from '../../conversation/reply-records.js';
import type { ToolRunResult } from '../../../temporal/contracts.js';
import { startTicketSla } from '../../../temporal/ticket-sla-starter.js';
import type { ActivityDeps } from '../../deps.js';
import { BlockedAddressError, guardedRequest } from '../../http/guarded-request.js';
import { applyGuardrails } from '../guardrails.js';
import { ENDPOINT_TOOLS, isBuiltIn } from './catalog.js';
import { DB_TOOLS, type ToolEffects, type ToolOutcome } from './execute.js';

type ToolCallRow = typeof toolCalls.$inferSelect;
type HttpToolRow = typeof httpTools.$inferSelect;

const FINISHED = new Set(['succeeded', 'failed', 'rejected', 'expired', 'blocked']);
const APPROVAL_HOLDING = "I've asked a teammate to approve this; I'll get back to you here as soon as they have.";

export function createToolActivities({ db, mongo, credentialsKey, allowPrivateNetworks, temporal }: Pick<ActivityDeps, 'db' | 'mongo' | 'credentialsKey' | 'allowPrivateNetworks' | 'temporal'>) {
  /**
   * A ticket the agent filed gets its SLA clock like any other: started after the ticket is
   * committed, and again by a retry (a second start is a no-op), so a crash in between loses none.
   */
  async function startSlaOfFiledTicket(tenantId: string, name: string, result: unknown) {
    const ticketId = (result as { data?: { ticketId?: unknown } } | null)?.data?.ticketId;
    if (name !== 'create_ticket' || typeof ticketId !== 'string' || !temporal) return;
    await startTicketSla(db, temporal.client, temporal.taskQueue, tenantId, ticketId);
  }

  /** Calls a tenant endpoint; 5xx and network errors throw so the activity retries with the same idempotency key. */
  async function callEndpoint(tool: HttpToolRow, call: ToolCallRow, contact: typeof contacts.$inferSelect): Promise<{ outcome: ToolOutcome; externalRef?: string | null }> {
    const headers: Record<string, string> = { accept: 'application/json', 'idempotency-key': call.id, 'user-agent': 'Switchboard-Agent/1' };
    if (tool.authHeaderName && tool.sealedAuthHeader) headers[tool.authHeaderName] = decryptCredential(credentialsKey, call.tenantId, tool.id, tool.sealedAuthHeader);
    // The tenant's own endpoint learns who is asking, from our records: it decides what this customer may see.
    const payload = { arguments: call.arguments, contact: { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone }, conversationId: call.conversationId };
    let url = tool.url;
    let body: string | undefined;
    if (tool.method === 'GET') {
      const u = new URL(tool.url);
      for (const [k, v] of Object.entries(call.arguments)) u.searchParams.set(k, String(v));
      if (contact.email) u.searchParams.set('contact_email', contact.email);
      if (contact.phone) u.searchParams.set('contact_phone', contact.phone);
      url = u.toString();
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(payload);
    }
    let res;
    try {
      res = await guardedRequest({ url, method: tool.method, headers, body, timeoutMs: tool.timeoutMs, allowPrivateNetworks });
    } catch (err) {
      if (err instanceof BlockedAddressError) return { outcome: { ok: false, message: `The tool's endpoint is not allowed: ${err.message}` } };
      throw err;
    }
    if (res.status >= 500 || res.status === 429) throw new Error(`${tool.name}: the endpoint answered ${res.status}`);
    let data: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(res.body);
      data = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    } catch {
      data = res.body ? { text: res.body.slice(0, 4000) } : undefined;
    }
    if (res.status === 404) return { outcome: { ok: false, message: 'Not found for this customer.', data } };
    if (res.status >= 400) return { outcome: { ok: false, message: `The endpoint refused the request (${res.status}).`, data } };
    const ref = data && typeof data.id === 'string' ? data.id : data && typeof data.reference === 'string' ? data.reference : null;
    return { outcome: { ok: true, message: 'Done.', data }, externalRef: ref };
  }

  return {
    /**
     * Runs one proposed tool call for the conversation's own contact. The call row, not the
     * workflow, says what to run; a finished call returns what it did, so a retry repeats nothing.
     */
    async executeToolCall(input: { tenantId: string; conversationId: string; callId: string; approvedBy: string | null }): Promise<ToolRunResult> {
      const { call, contact, tool } = await withTenant(db, input.tenantId, async (tx) => {
        const [call] = await tx.select().from(toolCalls).where(and(eq(toolCalls.id, input.callId), eq(toolCalls.conversationId, input.conversationId)));
        if (!call) return { call: undefined, contact: undefined, tool: undefined };
        const [row] = await tx.select({ contact: contacts }).from(conversations).innerJoin(contacts, eq(contacts.id, conversations.contactId)).where(eq(conversations.id, call.conversationId));
        const [tool] = await tx.select().from(httpTools).where(and(eq(httpTools.name, call.name), eq(httpTools.enabled, true)));
        return { call, contact: row?.contact, tool };
      });
      if (!call || !contact) throw ApplicationFailure.nonRetryable(`tool call ${input.callId} not found`, 'NotFound');
      if (FINISHED.has(call.status)) {
        if (call.status === 'succeeded') await startSlaOfFiledTicket(input.tenantId, call.name, call.result);
        return { status: call.status as ToolRunResult['status'], ...effectsOf(call) };
      }
      if (call.needsApproval && !input.approvedBy) throw ApplicationFailure.nonRetryable(`tool call ${call.id} needs an approval`, 'NotApproved');

      let endpoint: { outcome: ToolOutcome; externalRef?: string | null } | undefined;
      if (tool && (!isBuiltIn(call.name) || ENDPOINT_TOOLS.has(call.name))) endpoint = await callEndpoint(tool, call, contact);

      const ran = await withTenant(db, input.tenantId, async (tx) => {
        // Claim the call first: of two racing attempts, only one applies the tool.
        const [claimed] = await tx
          .update(toolCalls)
          .set({ completedAt: sql`now()` })
          .where(and(eq(toolCalls.id, call.id), inArray(toolCalls.status, ['pending', 'awaiting_approval'])))
          .returning({ id: toolCalls.id });
        if (!claimed) {
          const [now] = await tx.select().from(toolCalls).where(eq(toolCalls.id, call.id));
          return { result: { status: now.status as ToolRunResult['status'], ...effectsOf(now) }, outcome: now.result };
        }
        let outcome: ToolOutcome;
        let effects: ToolEffects | undefined;
        const dbTool = Object.hasOwn(DB_TOOLS, call.name) ? DB_TOOLS[call.name] : undefined;
        if (dbTool && (!endpoint || endpoint.outcome.ok)) {
          ({ outcome, effects } = await dbTool({ tx, tenantId: input.tenantId, conversationId: input.conversationId, callId: call.id, contact, args: call.arguments, externalRef: endpoint?.externalRef }));
        } else if (endpoint) {
          outcome = endpoint.outcome;
        } else {
          outcome = { ok: false, message: `The tool '${call.name}' has no endpoint configured.` };
        }
        const status = outcome.ok ? 'succeeded' : 'failed';
        await tx
          .update(toolCalls)
          .set({
            status,
            result: { ...outcome, ...(effects && { effects }) },
            ...(input.approvedBy && { decidedBy: input.approvedBy, decidedAt: sql`now()` }),
          })
          .where(eq(toolCalls.id, call.id));
        return { result: { status, ...effects } as ToolRunResult, outcome: outcome as unknown };
      });
      if (ran.result.status === 'succeeded') await startSlaOfFiledTicket(input.tenantId, call.name, ran.outcome);
      return ran.result;
    },

    /** Ends a call that will not run: a human rejected it, nobody approved it in time, or it kept failing. */
    async finishToolCall(input: { tenantId: string; callId: string; status: 'rejected' | 'expired' | 'failed'; userId: string | null; reason: string }): Promise<void> {
      await withTenant(db, input.tenantId, (tx) =>
        tx
          .update(toolCalls)
          .set({
            status: input.status,
            reason: input.reason,
            result: { ok: false, message: input.reason },
            completedAt: sql`now()`,
            ...(input.userId && { decidedBy: input.userId, decidedAt: sql`now()` }),
          })
          .where(and(eq(toolCalls.id, input.callId), inArray(toolCalls.status, ['pending', 'awaiting_approval']))),
      );
    },

    /** Tells the customer an approval is pending: a queued message the workflow delivers. */
    async writeApprovalNotice(input: { tenantId: string; conversationId: string; callId: string; messageId: string }): Promise<{ messageId: string }> {
      await withTenant(db, input.tenantId, (tx) =>
        queueAiMessage(tx, { id: input.messageId, tenantId: input.tenantId, conversationId: input.conversationId, content: APPROVAL_HOLDING, attributes: { route: 'approval', toolCallId: input.callId } }),
      );
      return { messageId: input.messageId };
    },

    async cancelFollowUps(input: { tenantId: string; ids: string[] }): Promise<void> {
      await withTenant(db, input.tenantId, (tx) =>
        tx.update(followUps).set({ status: 'cancelled' }).where(and(inArray(followUps.id, input.ids), eq(followUps.status, 'scheduled'))),
      );
    },

    /** Writes a due follow-up as a queued message (once), through the agent's output guardrails. */
    async writeFollowUp(input: { tenantId: string; conversationId: string; followUpId: string; messageId: string }): Promise<{ messageId: string | null }> {
      const agent = await activeAgentConfig(mongo, input.tenantId);
      return withTenant(db, input.tenantId, async (tx) => {
        const [f] = await tx
          .update(followUps)
          .set({ status: 'sent', messageId: input.messageId })
          .where(and(eq(followUps.id, input.followUpId), eq(followUps.status, 'scheduled')))
          .returning();
        if (!f) {
          const [done] = await tx.select({ messageId: followUps.messageId }).from(followUps).where(eq(followUps.id, input.followUpId));
          return { messageId: done?.messageId ?? null };
        }
        const guarded = applyGuardrails(agent.config, 'output', f.note);
        await queueAiMessage(tx, {
          id: input.messageId,
          tenantId: input.tenantId,
          conversationId: input.conversationId,
          content: guarded.blocked ? guarded.blocked.reply : guarded.text,
          attributes: { route: 'follow_up', followUpId: f.id },
        });
        return { messageId: input.messageId };
      });
    },
  };
}

function effectsOf(call: ToolCallRow): ToolEffects {
  return ((call.result as { effects?: ToolEffects } | null)?.effects ?? {}) as ToolEffects;
}
