import { extractiveAnswer, type Citation } from '../knowledge/answer.js';
import type { ChunkIndex } from '../knowledge/search.js';
import { triage, type Triage } from './local/triage.js';

export interface AgentDecision {
  /** null: say nothing (spam). */
  reply: string | null;
  handoff: boolean;
  triage: Triage;
  citations: Citation[];
  /** Why the agent answered as it did, for the conversation's history. */
  route: 'spam' | 'escalation' | 'sensitive' | 'greeting' | 'knowledge' | 'unknown';
}

/**
 * The local provider's agent: triage first, then either a human, a greeting, or an answer quoted
 * from the knowledge base with its source. It has no model, so it never writes text of its own
 * beyond these fixed lines, and it cannot be talked into revealing anything: it only ever repeats
 * the tenant's published articles.
 */
export function localAgentReply(text: string, channel: string, ctx: { businessName: string; index: ChunkIndex }): AgentDecision {
  const t = triage(text, channel);
  const decide = (route: AgentDecision['route'], reply: string | null, handoff = false, citations: Citation[] = []): AgentDecision => ({
    reply,
    handoff,
    triage: t,
    citations,
    route,
  });

  if (t.intent === 'spam') return decide('spam', null);
  if (t.escalate || t.intent === 'human_request') {
    return decide('escalation', "I'm passing this to a teammate now. They'll reply here as soon as they can.", true);
  }
  // Opt-outs and data requests change what we may do with someone's data: a person handles them.
  if (t.intent === 'opt_out' || t.intent === 'privacy_request') {
    return decide('sensitive', "Thanks, we've received your request. A teammate will take care of it and confirm here.", true);
  }
  if (t.intent === 'greeting') {
    return decide('greeting', `Hi! You're chatting with ${ctx.businessName}'s automated assistant. How can we help you today?`);
  }
  const answer = extractiveAnswer(text, ctx.index.search(text, 5));
  if (answer.text) {
    const sources = [...new Set(answer.citations.map((c) => c.title))].join(', ');
    return decide('knowledge', `${answer.text}\n\n(From our help article: ${sources}.) Reply "human" if you'd like a teammate to follow up.`, false, answer.citations);
  }
  return decide(
    'unknown',
    "I'm an automated assistant and I couldn't find that in our help articles. A teammate will follow up here; reply \"human\" if you'd like one right away.",
  );
}
