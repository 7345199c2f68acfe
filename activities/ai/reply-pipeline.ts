import { extractiveAnswer, type Citation } from '../knowledge/answer.js';
import { buildPrompt } from './prompt.js';
import { extractCandidate, missingCandidateFields, type CandidateFields } from './handlers/job-application.js';
import type { ChatMessage, ChatResult, LlmProvider } from './providers/types.js';
import type { ChunkIndex } from '../knowledge/search.js';
import { DEFAULT_AGENT_CONFIG, type AgentConfig } from './config/agent-config.js';
import { matchEscalation, type Attributes } from './escalation.js';
import { applyGuardrails } from './guardrails.js';
import { fold } from './local/text-features.js';
import { triage, type Triage } from './local/triage.js';

export interface AgentDecision {
  /** null: say nothing (spam). */
  reply: string | null;
  handoff: boolean;
  triage: Triage;
  /** The tenant's custom attributes detected in the message. */
  custom: Record<string, string>;
  citations: Citation[];
  /** Why the agent answered as it did, for the conversation's history. */
  route: 'spam' | 'guardrail' | 'escalation' | 'sensitive' | 'greeting' | 'job_application' | 'knowledge' | 'unknown';
  /** A job application's details, to be filed on the contact. */
  candidate?: CandidateFields;
  escalation?: { ruleId: string; team?: string; priority: string; createTicket: boolean };
  guardrails: string[];
}

export interface AgentContext {
  businessName: string;
  index: ChunkIndex;
  config?: AgentConfig;
  /** Contact fields for `contact.*` escalation conditions. */
  contact?: Record<string, string | undefined>;
}

const MIN_ROUTE_CONFIDENCE = 0.4;
const HOLDING = "I'm passing this to a teammate now. They'll reply here as soon as they can.";

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
function triageStage(text: string, channel: string, ctx: AgentContext): { done: AgentDecision } | { decide: Decide; question: string; config: AgentConfig } {
  const config = ctx.config ?? DEFAULT_AGENT_CONFIG;
  const t = triage(text, channel);
  const custom = detectCustom(config, text);
  const guardrails: string[] = [];
  const decide: Decide = (route, reply, extra = {}) => {
    let final = reply;
    if (final !== null) {
      const out = applyGuardrails(config, 'output', final);
      guardrails.push(...out.redactedBy);
      if (out.blocked) guardrails.push(out.blocked.id);
      final = out.blocked ? out.blocked.reply : out.text;
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
  if (t.escalate || t.intent === 'human_request') return { done: decide('escalation', HOLDING, { handoff: true }) };

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
  // Opt-outs and data requests change what we may do with someone's data: a person handles them.
  if (t.intent === 'opt_out' || t.intent === 'privacy_request') {
    return { done: decide('sensitive', "Thanks, we've received your request. A teammate will take care of it and confirm here.", { handoff: true }) };
  }
  if (t.intent === 'greeting') {
    return { done: decide('greeting', `Hi! You're chatting with ${ctx.businessName}'s automated assistant. How can we help you today?`) };
  }
  // Filing an application needs a confident intent; a best guess goes to the knowledge base instead.
  if (t.intent === 'job_application' && t.confidence >= MIN_ROUTE_CONFIDENCE) return { done: jobApplication(input.text, ctx, decide) };
  return { decide, question: input.text, config };
}

/** Files the application's details and asks only for what is missing, with the careers article's facts. */
function jobApplication(text: string, ctx: AgentContext, decide: Decide): AgentDecision {
  const candidate = extractCandidate(text);
  const missing = missingCandidateFields(candidate);
  const info = extractiveAnswer(text, ctx.index.search(`how to apply job vacancy ${text}`, 5));
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
  const answer = extractiveAnswer(stage.question, ctx.index.search(stage.question, 5));
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
  const hits = ctx.index.search(stage.question, 5).filter((h) => h.score > 0.2);
  // Earlier customer turns pass the same input guardrails: nothing blocked or redacted reaches the model later.
  const history = ctx.history.flatMap((m) => {
    if (m.role !== 'user' || !m.content) return [m];
    const g = applyGuardrails(stage.config, 'input', m.content);
    return g.blocked ? [] : [{ ...m, content: g.text }];
  });
  const result = await ctx.llm.chat({ messages: buildPrompt(ctx.businessName, stage.config, hits, history, stage.question), temperature: 0.2, signal: ctx.signal });
  const reply = result.content?.trim() || UNKNOWN;
  const citations = hits.slice(0, 3).map((h) => ({ documentId: h.chunk.documentId, title: h.chunk.documentTitle, chunkId: h.chunk.id }));
  return { ...stage.decide(hits.length ? 'knowledge' : 'unknown', reply, { citations }), usage: result.usage, model: result.model, provider: result.provider };
}
