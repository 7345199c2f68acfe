import { Context, heartbeat, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { withTenant, type Tx } from '../../db/client.js';
import { campaignRecipients, campaigns, contacts, conversations, httpTools, messages, tenants } from '../../db/schema/index.js';
import type { AiReplyDecision } from '../../temporal/contracts.js';
import { llmAgentReply, localAgentReply, type AgentDecision } from '../ai/reply-pipeline.js';
import { availableTools, planToolCalls } from '../ai/tools/policy.js';
import { enabledProviders, hasLlm, llmFromRows } from '../ai/providers/tenant-providers.js';
import { ProviderError, type ChatMessage } from '../ai/providers/types.js';
import { costUsd } from '../ai/providers/pricing.js';
import type { ActivityDeps } from '../deps.js';
import { indexWithin } from '../knowledge/store.js';
import { searchKnowledge } from '../knowledge/retrieve.js';
import type { ChunkIndex } from '../knowledge/search.js';
import { activeAgentConfig } from '../../db/mongo/agent-configs.js';
import { CSAT_THANKS, csatScore, ticketAwaitingRating } from '../tickets/csat-answer.js';
import { aiReplyTo, applyRouteEffects, inboundAttributes, pendingCalls, queueAiMessage, recordToolCalls, roundCalls, sumUsage, toolTurns } from './reply-records.js';

/** The conversation before this message, newest first: a read to issue inside the reading transaction. */
export const recentMessages = (tx: Tx, conversationId: string) =>
  tx
    .select({ id: messages.id, role: messages.authorRole, content: messages.content })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), inArray(messages.deliveryStatus, ['received', 'sent', 'delivered', 'read'])))
    .orderBy(desc(messages.createdAt))
    .limit(21);

/** Those messages, this one left out, oldest first, as chat turns for the model. */
export const chatHistory = (rows: Array<{ id: string; role: string; content: string }>, beforeId: string): ChatMessage[] =>
  rows
    .filter((r) => r.id !== beforeId)
    .slice(0, 20)
    .reverse()
    .map((r) => ({ role: r.role === 'customer' ? 'user' : 'assistant', content: r.content }));

export function createReplyActivities({ db, mongo, aiReplyDelayMs, credentialsKey, allowPrivateNetworks }: Pick<ActivityDeps, 'db' | 'mongo' | 'aiReplyDelayMs' | 'credentialsKey' | 'allowPrivateNetworks'>) {
  /**
   * Chunks embedded by a provider's model need the question embedded by it too, which is async: do
   * it once for the customer's message. The local embedding needs nothing of the kind.
   */
  async function precomputedSearch(index: ChunkIndex, tenantId: string, question: string) {
    if (!index.needsProviderEmbedding) return undefined;
    const hits = await searchKnowledge(db, tenantId, question, { k: 5, credentialsKey, allowPrivateNetworks, index });
    return (query: string, k: number) => (query === question && k <= 5 ? hits.slice(0, k) : undefined);
  }

  /**
   * One turn of the agent. `modelFree`: only when no model is configured; null otherwise, found in
   * the same read as the message, so the fast path costs the model path one query.
   */
  async function composeOnce(input: ComposeInput, opts?: ComposeOptions): Promise<AiReplyDecision>;
  async function composeOnce(input: ComposeInput, opts: { modelFree: true }): Promise<AiReplyDecision | null>;
  async function composeOnce(input: ComposeInput, opts: ComposeOptions & { modelFree?: boolean } = {}): Promise<AiReplyDecision | null> {
    const round = input.round ?? 0;
    // One read for the message and, on a retry, the reply an earlier attempt already wrote.
    const readTurn = async (tx: Tx) => {
      const [[row], reply, proposed, llmConfigured, turnsSoFar, tools, [campaign], providerRows, historyRows, index] = await Promise.all([
        tx
          .select({
            content: messages.content,
            channel: messages.channel,
            metadata: messages.metadata,
            businessName: tenants.name,
            contact: contacts,
            // A survey this message may answer: read with it, so an ordinary message costs nothing more.
            awaitingRating: ticketAwaitingRating(input.conversationId, input.inboundMessageId),
          })
          .from(messages)
          .innerJoin(tenants, eq(tenants.id, messages.tenantId))
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .innerJoin(contacts, eq(contacts.id, conversations.contactId))
          .where(and(eq(messages.id, input.inboundMessageId), eq(messages.conversationId, input.conversationId))),
        aiReplyTo(tx, input.inboundMessageId),
        // A retry of a turn that already proposed tools returns those calls rather than asking again.
        roundCalls(tx, input.inboundMessageId, round),
        opts.modelFree ? hasLlm(tx) : false,
        round === 0 ? { turns: [], usage: [] } : toolTurns(tx, input.inboundMessageId, round),
        tx.select().from(httpTools).where(eq(httpTools.enabled, true)),
        tx
          .select({ recipientId: campaignRecipients.id, name: campaigns.name })
          .from(campaignRecipients)
          .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
          .innerJoin(conversations, eq(conversations.contactId, campaignRecipients.contactId))
          .where(and(eq(conversations.id, input.conversationId), isNull(campaignRecipients.response), gt(campaignRecipients.sentAt, sql`now() - interval '14 days'`)))
          .orderBy(desc(campaignRecipients.sentAt))
          .limit(1),
        // The model's settings and the history it is shown, read whether or not a model is set up:
        // pipelined, they cost the local agent no round trip, and save the model path two.
        opts.modelFree ? [] : enabledProviders(tx),
        opts.modelFree ? [] : recentMessages(tx, input.conversationId),
        indexWithin(tx, input.tenantId),
      ]);
      if (!row || reply || proposed.length) return { inbound: row, earlier: reply, proposed, turns: [], earlierUsage: [], tools: [], campaign: undefined, providerRows: [], historyRows: [], index };
      if (llmConfigured) return { inbound: row, needsModel: true as const };
      return { inbound: row, earlier: reply, proposed, turns: turnsSoFar.turns, earlierUsage: turnsSoFar.usage, tools, campaign, providerRows, historyRows, index };
    };
    const reading = withTenant(db, input.tenantId, async (tx) => {
      // Issued together, the caller's claim first: postgres.js pipelines them on the transaction's
      // connection, one round trip.
      const [, read] = await Promise.all([opts.within?.(tx), readTurn(tx)]);
      return read;
    }, { reusePlans: true });
    // The agent's configuration lives in MongoDB: read beside the transaction.
    const [read, agent] = await Promise.all([reading, activeAgentConfig(mongo, input.tenantId)]);
    // Read while the caller claimed the message; nothing is decided, written or asked of a model before it has.
    if (opts.claimed && !(await opts.claimed())) throw new Unclaimed();
    if (!read.inbound) throw ApplicationFailure.nonRetryable(`inbound message ${input.inboundMessageId} not found`, 'NotFound');
    if ('needsModel' in read) return null;
    const { inbound, earlier, proposed, turns, earlierUsage, tools, campaign, index } = read;
    const llm = await llmFromRows(read.providerRows, credentialsKey, input.tenantId, { allowPrivateNetworks });
    const history = llm ? chatHistory(read.historyRows, input.inboundMessageId) : [];

    // A retry after the reply was written returns that reply's decision: running the pipeline again
    // could decide differently (a configuration activated meanwhile) from the reply that stands.
    if (earlier) return { replyId: earlier.id, handoff: earlier.attributes?.handoff === true };
    if (proposed.length) return { replyId: null, handoff: false, toolCalls: pendingCalls(proposed) };

    const { contact } = inbound;
    const ctx = {
      businessName: inbound.businessName,
      index,
      config: agent.config,
      contact: { name: contact.name ?? undefined, email: contact.email ?? undefined, phone: contact.phone ?? undefined, ...stringFields(contact.attributes) },
      tools: availableTools({ config: agent.config, httpTools: tools }),
      turns,
      campaign,
      search: await precomputedSearch(index, input.tenantId, inbound.content),
    };
    let decision: AgentDecision & { usage?: { promptTokens: number; completionTokens: number }; model?: string; provider?: string };
    // The answer to the satisfaction survey (the claim records it on the ticket): thanked, not answered.
    const rating = inbound.awaitingRating ? csatScore(inbound.content) : null;
    if (inbound.metadata?.unauthenticated === true) {
      // Mail whose sender's domain did not vouch for it (ingestEmail): triaged, never answered by the AI.
      decision = { ...localAgentReply(inbound.content, inbound.channel, ctx), reply: null, handoff: true, route: 'unverified_sender', toolRequests: undefined };
    } else if (rating !== null) {
      const { triage, custom, guardrails } = localAgentReply(inbound.content, inbound.channel, ctx);
      decision = { reply: CSAT_THANKS(rating), handoff: false, triage, custom, guardrails, citations: [], route: 'csat' };
    } else if (llm) {
      decision = await llmAgentReply(inbound.content, inbound.channel, { ...ctx, llm, history, signal: Context.current().cancellationSignal }).catch((err) => {
        // A bad key or a rejected request stays bad: fail for good, and the workflow hands over to a human.
        if (err instanceof ProviderError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'ProviderRejected');
        throw err;
      });
    } else {
      decision = localAgentReply(inbound.content, inbound.channel, ctx);
    }
    // The think time customers see as typing; composeAiReply heartbeats meanwhile.
    if (aiReplyDelayMs > 0) await sleep(aiReplyDelayMs);

    const usage =
      decision.provider && decision.usage
        ? { provider: decision.provider, model: decision.model ?? '', ...decision.usage, cost: costUsd(decision.model ?? '', decision.usage) }
        : undefined;

    if (decision.toolRequests?.length) {
      // What the customer wrote here: arguments that identify records must come from it.
      const said = await withTenant(db, input.tenantId, (tx) =>
        tx
          .select({ content: messages.content })
          .from(messages)
          .where(and(eq(messages.conversationId, input.conversationId), eq(messages.authorRole, 'customer')))
          .orderBy(desc(messages.createdAt))
          .limit(50),
      );
      const customerText = said.map((m) => m.content).join('\n');
      const planned = planToolCalls(decision.toolRequests, { config: agent.config, httpTools: tools, customerText, contact: { email: contact.email, phone: contact.phone } });
      const rows = await withTenant(db, input.tenantId, async (tx) => {
        if (round === 0) await tx.update(messages).set({ attributes: inboundAttributes(decision, agent.version) }).where(eq(messages.id, input.inboundMessageId));
        return recordToolCalls(tx, { tenantId: input.tenantId, conversationId: input.conversationId, messageId: input.inboundMessageId, round }, planned, usage);
      });
      return { replyId: null, handoff: false, toolCalls: pendingCalls(rows) };
    }
    const totalUsage = sumUsage([...earlierUsage, ...(usage ? [usage] : [])]);

    const replyId = await withTenant(db, input.tenantId, async (tx) => {
      // Its statement (a lock) goes first; it is awaited with this transaction's first writes.
      const sending = opts.sendWithin?.(tx);
      // File an application on the conversation's own contact: fill blanks, never overwrite what the contact has.
      const filed =
        decision.candidate &&
        tx
          .update(contacts)
          .set({
            name: contact.name ?? decision.candidate.name ?? null,
            email: contact.email ?? decision.candidate.email ?? null,
            phone: contact.phone ?? decision.candidate.phone ?? null,
            attributes: sql`${contacts.attributes} || ${JSON.stringify({ candidate: { ...(contact.attributes.candidate as object | undefined), ...decision.candidate, appliedVia: inbound.channel } })}::jsonb`,
            updatedAt: sql`now()`,
          })
          .where(eq(contacts.id, contact.id));
      const triaged = tx.update(messages).set({ attributes: inboundAttributes(decision, agent.version) }).where(eq(messages.id, input.inboundMessageId));
      if (decision.reply === null) return (await Promise.all([sending, filed, triaged]), null);
      const queued = queueAiMessage(tx, {
        id: input.replyId,
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        channel: inbound.channel,
        content: decision.reply,
        inReplyTo: input.inboundMessageId,
        citations: decision.citations,
        attributes: {
          route: decision.route,
          handoff: decision.handoff,
          ...(totalUsage && { provider: totalUsage.provider, model: totalUsage.model, usage: { promptTokens: totalUsage.promptTokens, completionTokens: totalUsage.completionTokens }, cost: totalUsage.cost }),
        },
      });
      // Issued together: postgres.js pipelines them on the transaction's connection, one round trip.
      const [send, , , inserted] = await Promise.all([sending, filed, triaged, queued]);
      // A retry finds its own row (same id); any other earlier reply to this message wins (one AI reply per inbound).
      if (inserted.length) {
        await applyRouteEffects(tx, input, contact.id, inbound.channel, decision);
        await send?.(inserted[0].id);
        return inserted[0].id;
      }
      return (await aiReplyTo(tx, input.inboundMessageId))?.id ?? input.replyId;
    }, { reusePlans: true });
    return { replyId, handoff: decision.handoff };
  }

  return {
    /**
     * Triages an inbound message and writes the AI's reply as a queued message whose id the
     * workflow chose, so a retried attempt finds its own earlier row instead of writing a second
     * reply. The triage is stored on the inbound message, the sources on the reply.
     */
    async composeAiReply(input: ComposeInput, opts?: ComposeOptions): Promise<AiReplyDecision> {
      // Heartbeat throughout, LLM calls included: a slow provider must not look like a dead worker.
      const beat = setInterval(() => heartbeat(), 1000);
      try {
        return await composeOnce(input, opts);
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * The same, run as a local activity inside the workflow task: only when nothing in it is slow,
     * that is no model to call and no think time to wait. Null: use composeAiReply.
     */
    async composeQuickReply(input: ComposeInput): Promise<AiReplyDecision | null> {
      if (aiReplyDelayMs > 0) return null;
      return composeOnce(input, { modelFree: true });
    },
  };
}

/** For in-process callers only (answerInbound); Temporal passes an activity its input alone. */
interface ComposeOptions {
  /** The caller's claim on the message, made in the reading transaction, its statements first. */
  within?: (tx: Tx) => Promise<void>;
  /** Once that transaction has committed: whether the claim succeeded; false throws `Unclaimed`. */
  claimed?: () => Promise<boolean>;
  /**
   * Sends the reply in the transaction that writes it, where that can be done: called as that
   * transaction begins, it gives what sends the reply once written.
   */
  sendWithin?: (tx: Tx) => Promise<(replyId: string) => Promise<void>>;
}

/** The turn was not composed: the caller's claim on the message did not succeed. */
export class Unclaimed extends Error {
  constructor() {
    super('the inbound message was not claimed');
  }
}

interface ComposeInput {
  tenantId: string;
  conversationId: string;
  inboundMessageId: string;
  replyId: string;
  round?: number;
}

const stringFields = (attrs: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(attrs).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
