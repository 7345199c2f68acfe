import { extractiveAnswer, type Citation } from '../knowledge/answer.js';
import { buildPrompt } from './prompt.js';
import { classifyCampaignResponse, type CampaignResponse } from './handlers/campaign-reply.js';
import { extractCandidate, missingCandidateFields, type CandidateFields } from './handlers/job-application.js';
import { describeOrder, findOrderNumber } from './handlers/order-lookup.js';
import { extractProduct } from './handlers/stock-alert.js';
import { protectOutput, type OutputSafetyContext } from './output-safety.js';
import type { ChatMessage, ChatResult, LlmProvider, ToolSpec } from './providers/types.js';
import type { ToolRequest } from './tools/policy.js';
import type { ChunkIndex, Hit } from '../knowledge/search.js';
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config/agent-config.js';
import { matchEscalation, type Attributes } from './escalation.js';
import { applyGuardrails } from './guardrails.js';
import { fold } from './local/text-features.js';
import { triage, type Triage } from './local/triage.js';
import { CONFIRMS_ITSELF, KEYWORD_CHANNELS, consentKeyword } from '../channels/consent-keywords.js';

export interface AgentDecision {
  /** null: say nothing (spam). */
  reply: string | null;
  handoff: boolean;
  triage: Triage;
  /** The tenant's custom attributes detected in the message. */
  custom: Record<string, string>;
  citations: Citation[];
  /** Why the agent answered as it did, for the conversation's history. */
  route: 'spam' | 'consent' | 'unverified_sender' | 'guardrail' | 'escalation' | 'sensitive' | 'greeting' | 'job_application' | 'knowledge' | 'unknown' | 'tools' | 'order' | 'stock_alert' | 'campaign_reply' | 'csat';
  /** A job application's details, to be filed on the contact. */
  candidate?: CandidateFields;
  escalation?: { ruleId: string; team?: string; priority: string; createTicket: boolean };
  /** A back-in-stock subscription to file for the contact. */
  stockAlert?: { product: string };
  /** The contact's answer to the campaign that reached them. */
  campaignResponse?: { recipientId: string; response: CampaignResponse };
  /** Tools the agent wants run before it answers; the reply waits for their results. */
  toolRequests?: ToolRequest[];
  guardrails: string[];
}

/** One earlier model turn's tool calls and what came of them. */
export interface ToolTurn {
  calls: Array<{ providerCallId: string; name: string; arguments: string; result: { ok: boolean; message: string; data?: Record<string, unknown> } }>;
}

export interface AgentContext {
  businessName: string;
  index: ChunkIndex;
  config?: AgentConfig;
  /** Contact fields for `contact.*` escalation conditions; `email` and `phone` may be repeated to this customer. */
  contact?: Record<string, string | undefined>;
  /** The tools this agent may call now. */
  tools?: ToolSpec[];
  /** Earlier turns for this message: tools already run. */
  turns?: ToolTurn[];
  /** Hits for a query when retrieval needed async work (query embeddings); undefined falls back to the index. */
  search?: (query: string, k: number) => Hit[] | undefined;
  /** A campaign that recently reached this contact and is waiting for their answer. */
  campaign?: { recipientId: string; name: string };
}

/** Retrieval through the context's precomputed search when it has one (model embeddings), else the index. */
const search = (ctx: AgentContext, query: string, k: number) => ctx.search?.(query, k) ?? ctx.index.search(query, k);

/** Tools run between model turns; after this many turns the model must answer in words. */
export const MAX_TOOL_TURNS = 3;

const MIN_ROUTE_CONFIDENCE = 0.4;
const HOLDING = "I'm passing this to a teammate now. They'll reply here as soon as they can.";
const OPTED_OUT = "You won't get marketing messages from us here any more. Reply START to get them again; we'll still answer when you write to us.";
const OPTED_IN = "You're subscribed again. Reply STOP at any time to unsubscribe.";

/** A custom attribute takes the first of its values that the message mentions. */
function detectCustom(config: AgentConfig, text: string): Record<string, string> {
  const t = ` ${fold(text)} `;
  const found: Record<string, string> = {};
  for (const a of config.attributes) {
    const v = a.values.find((value) => t.includes(` ${fold(value)} `));
    if (v) found[a.key] = v;
  }
  return found;
}

type Decide = (route: AgentDecision['route'], reply: string | null, extra?: Partial<AgentDecision>) => AgentDecision;

/**
 * The steps every provider shares: guardrails, triage, built-in and configured escalation, and the
 * sensitive intents a person must handle. Returns a final decision, or what answering needs.
 */
const WITHHELD = "Sorry, I can't share that. Is there something about your own order or our products I can help with? Reply \"human\" to reach a teammate.";

/**
 * A reply as it may be sent: the tenant's output guardrails, then the built-in checks (no
 * instructions repeated, no contact details but the customer's own or published ones).
 */
export function checkReply(config: AgentConfig, reply: string, safety: OutputSafetyContext): { text: string; guardrails: string[] } {
  const out = applyGuardrails(config, 'output', reply);
  const guardrails = [...out.redactedBy, ...(out.blocked ? [out.blocked.id] : [])];
  const checked = protectOutput(out.blocked ? out.blocked.reply : out.text, safety);
  guardrails.push(...checked.flags.map((f) => `builtin:${f}`));
  return { text: checked.blocked ? WITHHELD : checked.text, guardrails };
}

/** Earlier customer turns through the input guardrails: nothing blocked or redacted reaches a model later. */
export function guardHistory(config: AgentConfig, history: ChatMessage[]): ChatMessage[] {
  return history.flatMap((m) => {
    if (m.role !== 'user' || !m.content) return [m];
    const g = applyGuardrails(config, 'input', m.content);
    return g.blocked ? [] : [{ ...m, content: g.text }];
  });
}

interface SafetyInputs {
  instructions: string;
  published: string;
}

function triageStage(text: string, channel: string, ctx: AgentContext): { done: AgentDecision } | { decide: Decide; question: string; config: AgentConfig; safety: SafetyInputs; triage: Triage } {
  const config = ctx.config ?? DEFAULT_AGENT_CONFIG;
  const t = triage(text, channel);
  const custom = detectCustom(config, text);
  const guardrails: string[] = [];
  // What the final check compares replies with; the LLM path adds its prompt and articles.
  const safety: SafetyInputs = { instructions: [config.name, ...config.guidance.rules].join('\n'), published: '' };
  const decide: Decide = (route, reply, extra = {}) => {
    let final = reply;
    if (final !== null) {
      // Articles quoted and the shop's answers about this customer's orders may be repeated.
      const toolData = (ctx.turns ?? []).flatMap((turn) => turn.calls.map((c) => JSON.stringify(c.result.data ?? {})));
      const published = [safety.published, citedText(ctx.index, extra.citations ?? []), ...toolData].join('\n');
      const checked = checkReply(config, final, { instructions: safety.instructions, published, contact: { email: ctx.contact?.email, phone: ctx.contact?.phone } });
      guardrails.push(...checked.guardrails);
      final = checked.text;
    }
    return { reply: final, handoff: false, triage: t, custom, citations: [], route, guardrails, ...extra };
  };

  const input = applyGuardrails(config, 'input', text, t.intent);
  guardrails.push(...input.redactedBy);
  if (input.blocked) {
    guardrails.push(input.blocked.id);
    return { done: decide('guardrail', input.blocked.reply) };
  }
  if (t.intent === 'spam') return { done: decide('spam', null) };
  // STOP and START were recorded when the message arrived: confirm them, and nothing else.
  const consent = KEYWORD_CHANNELS.has(channel) ? consentKeyword(text) : null;
  if (consent) return { done: decide('consent', CONFIRMS_ITSELF.has(channel) ? null : consent.action === 'opt_out' ? OPTED_OUT : OPTED_IN) };

  const attrs: Attributes = { intent: t.intent, priority: t.priority, sentiment: t.sentiment, urgency: t.urgency, language: t.language, ...custom };
  for (const [k, v] of Object.entries(ctx.contact ?? {})) attrs[`contact.${k}`] = v;
  const rule = matchEscalation(config, attrs);
  if (rule) {
    return {
      done: decide('escalation', rule.holdingMessage ?? HOLDING, {
        handoff: true,
        escalation: { ruleId: rule.id, team: rule.team, priority: rule.priority, createTicket: rule.createTicket },
      }),
    };
  }
  // The tenant's rules go first, for their team and ticket; what triage calls urgent escalates anyway.
  if (t.escalate || t.intent === 'human_request') return { done: decide('escalation', HOLDING, { handoff: true }) };
  // A reply to a campaign that reached this contact: its answer, an opt-out included, is the campaign's to record.
  if (ctx.campaign && !ctx.turns?.length) {
    const response = classifyCampaignResponse(input.text);
    if (response !== 'question' || t.intent === 'campaign_reply') return { done: campaignReply(response, input.text, ctx, decide) };
  }
  // Opt-outs and data requests change what we may do with someone's data: a person handles them.
  if (t.intent === 'opt_out' || t.intent === 'privacy_request') {
    return { done: decide('sensitive', "Thanks, we've received your request. A teammate will take care of it and confirm here.", { handoff: true }) };
  }
  if (t.intent === 'greeting') {
    return { done: decide('greeting', `Hi! You're chatting with ${ctx.businessName}'s automated assistant. How can we help you today?`) };
  }
  // Filing an application needs a confident intent; a best guess goes to the knowledge base instead.
  if (t.intent === 'job_application' && t.confidence >= MIN_ROUTE_CONFIDENCE) return { done: jobApplication(input.text, ctx, decide) };
  if (t.intent === 'stock_inquiry' && t.confidence >= MIN_ROUTE_CONFIDENCE && !ctx.turns?.length) {
    const product = extractProduct(input.text);
    if (product) return { done: stockAlert(product, input.text, ctx, decide) };
  }
  return { decide, question: input.text, config, safety, triage: t };
}

function citedText(index: ChunkIndex, citations: Citation[]): string {
  if (citations.length === 0) return '';
  const ids = new Set(citations.map((c) => c.chunkId));
  return index.chunks.filter((c) => ids.has(c.id)).map((c) => c.content).join('\n');
}

const CAMPAIGN_REPLIES: Record<CampaignResponse, string> = {
  interested: 'Great to hear! A teammate will follow up here with the details.',
  not_interested: "No problem, thanks for letting us know. We won't follow up on this one.",
  opt_out: "Understood: you won't get campaign messages from us any more. You can still message us here any time.",
  question: '',
};

/** Files the contact's answer on the campaign; a question is answered from the knowledge base too. */
function campaignReply(response: CampaignResponse, text: string, ctx: AgentContext, decide: Decide): AgentDecision {
  const campaignResponse = { recipientId: ctx.campaign!.recipientId, response };
  if (response !== 'question') return decide('campaign_reply', CAMPAIGN_REPLIES[response], { campaignResponse, handoff: response === 'interested' });
  const answer = extractiveAnswer(text, search(ctx, text, 5));
  const reply = answer.text ? `${answer.text}\n\n(From our help article: ${answer.citations.map((c) => c.title).join(', ')}.)` : UNKNOWN;
  return decide('campaign_reply', reply, { campaignResponse, citations: answer.citations });
}

/** Subscribes the contact to a back-in-stock message, with what the knowledge base says about restocks. */
function stockAlert(product: string, text: string, ctx: AgentContext, decide: Decide): AgentDecision {
  const answer = extractiveAnswer(text, search(ctx, text, 5));
  const promise = `I've noted your interest in "${product}": we'll message you here as soon as it's back in stock.`;
  return decide('stock_alert', answer.text ? `${promise}\n\n${answer.text}` : promise, { stockAlert: { product }, citations: answer.citations });
}

/** Files the application's details and asks only for what is missing, with the careers article's facts. */
function jobApplication(text: string, ctx: AgentContext, decide: Decide): AgentDecision {
  const candidate = extractCandidate(text);
  const missing = missingCandidateFields(candidate);
  const info = extractiveAnswer(text, search(ctx, `how to apply job vacancy ${text}`, 5));
  const thanks = `Thanks${candidate.name ? `, ${candidate.name},` : ''} for your interest in working with ${ctx.businessName}!`;
  const ask = missing.length
    ? ` To complete your application, please send ${missing.join(', ').replace(/, ([^,]*)$/, ' and $1')}.`
    : ` We've received your application${candidate.role ? ` for the ${candidate.role} role` : ''} and a teammate will be in touch.`;
  return decide('job_application', `${thanks}${ask}${info.text ? `\n\n${info.text}` : ''}`, { candidate, citations: info.citations });
}

const UNKNOWN = "I'm an automated assistant and I couldn't find that in our help articles. A teammate will follow up here; reply \"human\" if you'd like one right away.";

/**
 * The local provider's agent: after the shared steps, an answer quoted from the knowledge base
 * with its source. It has no model, so beyond fixed lines it only repeats the tenant's published
 * articles: it cannot be talked into revealing a prompt or another customer's data.
 */
export function localAgentReply(text: string, channel: string, ctx: AgentContext): AgentDecision {
  const stage = triageStage(text, channel, ctx);
  if ('done' in stage) return stage.done;
  const lookup = ctx.turns?.flatMap((turn) => turn.calls).find((c) => c.name === 'lookup_order');
  if (lookup) {
    const orderNumber = String((JSON.parse(lookup.arguments) as { orderNumber?: string }).orderNumber ?? '');
    const reply = lookup.result.ok
      ? `${describeOrder(orderNumber, lookup.result.data)}\n\nReply "human" if you'd like a teammate to look into it.`
      : `I couldn't look up order ${orderNumber} for you (${lookup.result.message.replace(/\.$/, '')}). A teammate will check and reply here.`;
    return stage.decide('order', reply, { handoff: !lookup.result.ok });
  }
  // Only the order number the customer typed is looked up, and only for their own contact.
  const orderNumber = findOrderNumber(stage.question);
  if (orderNumber && ['order_status', 'shipping_question', 'return_refund', 'complaint'].includes(stage.triage.intent) && ctx.tools?.some((tool) => tool.name === 'lookup_order')) {
    return stage.decide('tools', null, { toolRequests: [{ providerCallId: 'local-lookup-1', name: 'lookup_order', arguments: JSON.stringify({ orderNumber }) }] });
  }
  const answer = extractiveAnswer(stage.question, search(ctx, stage.question, 5));
  if (answer.text) {
    const sources = [...new Set(answer.citations.map((c) => c.title))].join(', ');
    return stage.decide('knowledge', `${answer.text}\n\n(From our help article: ${sources}.) Reply "human" if you'd like a teammate to follow up.`, { citations: answer.citations });
  }
  return stage.decide('unknown', UNKNOWN);
}

/**
 * The same agent with an LLM writing the answer from retrieved articles and the recent history.
 * Triage, guardrails and escalation stay local and deterministic; the model only phrases answers.
 */
export async function llmAgentReply(
  text: string,
  channel: string,
  ctx: AgentContext & { llm: LlmProvider; history: ChatMessage[]; signal?: AbortSignal },
): Promise<AgentDecision & { usage?: ChatResult['usage']; model?: string; provider?: string }> {
  const stage = triageStage(text, channel, ctx);
  if ('done' in stage) return stage.done;
  const hits = search(ctx, stage.question, 5).filter((h) => h.score > 0.2);
  const history = guardHistory(stage.config, ctx.history);
  const turns = ctx.turns ?? [];
  const tools = turns.length < MAX_TOOL_TURNS ? (ctx.tools ?? []) : [];
  const prompt = buildPrompt(ctx.businessName, stage.config, hits, history, stage.question, tools.length > 0);
  stage.safety.instructions = prompt[0].content ?? '';
  stage.safety.published = hits.map((h) => h.chunk.content).join('\n');
  // Earlier turns replay as the model saw them: its calls, then each call's result.
  for (const turn of turns) {
    prompt.push({ role: 'assistant', content: null, toolCalls: turn.calls.map((c) => ({ id: c.providerCallId, name: c.name, arguments: c.arguments })) });
    for (const c of turn.calls) prompt.push({ role: 'tool', toolCallId: c.providerCallId, content: JSON.stringify(c.result) });
  }
  const result = await ctx.llm.chat({ messages: prompt, tools, temperature: 0.2, signal: ctx.signal });
  const usage = { usage: result.usage, model: result.model, provider: result.provider };
  if (result.toolCalls.length > 0 && tools.length > 0) {
    return { ...stage.decide('tools', null, { toolRequests: result.toolCalls.map((c) => ({ providerCallId: c.id, name: c.name, arguments: c.arguments })) }), ...usage };
  }
  const reply = result.content?.trim() || UNKNOWN;
  const citations = hits.slice(0, 3).map((h) => ({ documentId: h.chunk.documentId, title: h.chunk.documentTitle, chunkId: h.chunk.id }));
  const handoff = turns.some((turn) => turn.calls.some((c) => c.name === 'handoff' && c.result.ok));
  return { ...stage.decide(hits.length ? 'knowledge' : 'unknown', reply, { citations, handoff }), ...usage };
}
