import { Context, heartbeat, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { contacts, conversations, messages, tenants } from '../../db/schema/index.js';
import type { AiReplyDecision } from '../../temporal/contracts.js';
import { llmAgentReply, localAgentReply } from '../ai/reply-pipeline.js';
import { tenantLlm } from '../ai/providers/tenant-providers.js';
import { ProviderError, type ChatMessage } from '../ai/providers/types.js';
import { costUsd } from '../ai/providers/pricing.js';
import type { ActivityDeps } from '../deps.js';
import { loadIndex } from '../knowledge/store.js';
import { activeAgentConfig } from '../../db/mongo/agent-configs.js';

export function createReplyActivities({ db, mongo, aiReplyDelayMs, credentialsKey }: Pick<ActivityDeps, 'db' | 'mongo' | 'aiReplyDelayMs' | 'credentialsKey'>) {
  /** The conversation before this message, oldest first, as chat turns for the model. */
  async function recentHistory(tenantId: string, conversationId: string, beforeId: string): Promise<ChatMessage[]> {
    const rows = await withTenant(db, tenantId, (tx) =>
      tx
        .select({ id: messages.id, role: messages.authorRole, content: messages.content })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), inArray(messages.deliveryStatus, ['received', 'sent', 'delivered', 'read'])))
        .orderBy(desc(messages.createdAt))
        .limit(21),
    );
    return rows
      .filter((r) => r.id !== beforeId)
      .slice(0, 20)
      .reverse()
      .map((r) => ({ role: r.role === 'customer' ? 'user' : 'assistant', content: r.content }));
  }

  async function composeOnce(input: {
    tenantId: string;
    conversationId: string;
    inboundMessageId: string;
    replyId: string;
  }): Promise<AiReplyDecision> {
    // One read for the message and, on a retry, the reply an earlier attempt already wrote.
    const { inbound, earlier } = await withTenant(db, input.tenantId, async (tx) => {
      const [row] = await tx
        .select({ content: messages.content, channel: messages.channel, businessName: tenants.name, contact: contacts })
        .from(messages)
        .innerJoin(tenants, eq(tenants.id, messages.tenantId))
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(and(eq(messages.id, input.inboundMessageId), eq(messages.conversationId, input.conversationId)));
      const [reply] = await tx
        .select({ id: messages.id, attributes: messages.attributes })
        .from(messages)
        .where(and(eq(messages.inReplyTo, input.inboundMessageId), eq(messages.authorRole, 'ai')));
      return { inbound: row, earlier: reply };
    });
    if (!inbound) throw ApplicationFailure.nonRetryable(`inbound message ${input.inboundMessageId} not found`, 'NotFound');

    // A retry after the reply was written returns that reply's decision: running the pipeline again
    // could decide differently (a configuration activated meanwhile) from the reply that stands.
    if (earlier) return { replyId: earlier.id, handoff: earlier.attributes?.handoff === true };

    const [index, agent, llm] = await Promise.all([loadIndex(db, input.tenantId), activeAgentConfig(mongo, input.tenantId), tenantLlm(db, credentialsKey, input.tenantId)]);
    const { contact } = inbound;
    const ctx = {
      businessName: inbound.businessName,
      index,
      config: agent.config,
      contact: { name: contact.name ?? undefined, email: contact.email ?? undefined, phone: contact.phone ?? undefined, ...stringFields(contact.attributes) },
    };
    let decision: Awaited<ReturnType<typeof llmAgentReply>>;
    if (llm) {
      const history = await recentHistory(input.tenantId, input.conversationId, input.inboundMessageId);
      decision = await llmAgentReply(inbound.content, inbound.channel, { ...ctx, llm, history, signal: Context.current().cancellationSignal }).catch((err) => {
        // A bad key or a rejected request stays bad: fail for good, and the workflow hands over to a human.
        if (err instanceof ProviderError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'ProviderRejected');
        throw err;
      });
    } else {
      decision = localAgentReply(inbound.content, inbound.channel, ctx);
    }
    for (let waited = 0; waited < aiReplyDelayMs; waited += 250) {
      heartbeat();
      await sleep(Math.min(250, aiReplyDelayMs - waited));
    }

    const replyId = await withTenant(db, input.tenantId, async (tx) => {
      if (decision.candidate) {
        // File the application on the conversation's own contact: fill blanks, never overwrite what the contact has.
        await tx
          .update(contacts)
          .set({
            name: contact.name ?? decision.candidate.name ?? null,
            email: contact.email ?? decision.candidate.email ?? null,
            phone: contact.phone ?? decision.candidate.phone ?? null,
            attributes: sql`${contacts.attributes} || ${JSON.stringify({ candidate: { ...(contact.attributes.candidate as object | undefined), ...decision.candidate, appliedVia: inbound.channel } })}::jsonb`,
            updatedAt: sql`now()`,
          })
          .where(eq(contacts.id, contact.id));
      }
      await tx
        .update(messages)
        .set({ attributes: { ...decision.triage, custom: decision.custom, route: decision.route, escalation: decision.escalation, guardrails: decision.guardrails, agentConfigVersion: agent.version } })
        .where(eq(messages.id, input.inboundMessageId));
      if (decision.reply === null) return null;
      const inserted = await tx
        .insert(messages)
        .values({
          id: input.replyId,
          tenantId: input.tenantId,
          conversationId: input.conversationId,
          direction: 'outbound',
          authorRole: 'ai',
          channel: inbound.channel,
          content: decision.reply,
          deliveryStatus: 'queued',
          inReplyTo: input.inboundMessageId,
          citations: decision.citations,
          attributes: {
            route: decision.route,
            handoff: decision.handoff,
            ...(decision.provider && decision.usage && { provider: decision.provider, model: decision.model, usage: decision.usage, cost: costUsd(decision.model ?? '', decision.usage) }),
          },
        })
        // A retry finds its own row (same id); any other earlier reply to this message wins (one AI reply per inbound).
        .onConflictDoNothing()
        .returning({ id: messages.id });
      if (inserted.length) return inserted[0].id;
      const [existing] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.inReplyTo, input.inboundMessageId), eq(messages.authorRole, 'ai')));
      return existing?.id ?? input.replyId;
    });
    return { replyId, handoff: decision.handoff };
  }

  return {
    /**
     * Triages an inbound message and writes the AI's reply as a queued message whose id the
     * workflow chose, so a retried attempt finds its own earlier row instead of writing a second
     * reply. The triage is stored on the inbound message, the sources on the reply.
     */
    async composeAiReply(input: { tenantId: string; conversationId: string; inboundMessageId: string; replyId: string }): Promise<AiReplyDecision> {
      // Heartbeat throughout, LLM calls included: a slow provider must not look like a dead worker.
      const beat = setInterval(() => heartbeat(), 1000);
      try {
        return await composeOnce(input);
      } finally {
        clearInterval(beat);
      }
    },
  };
}

const stringFields = (attrs: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(attrs).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
