import type { AgentConfig } from './config/agent-config.js';
import type { Intent } from './local/triage.js';

export interface GuardrailResult {
  text: string;
  /** Set when a blocking guardrail matched: the reply to send instead, and which rule. */
  blocked?: { id: string; reply: string };
  redactedBy: string[];
}

const DEFAULT_BLOCK_REPLY = "Sorry, I can't help with that here. A teammate can: reply \"human\" to reach one.";
const MAX_SCANNED = 8_000;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type PatternGuardrail = Extract<AgentConfig['guardrails'][number], { kind: 'keyword' | 'regex' }>;

// One reply runs the same guardrails over its input, its output and earlier turns: compile each once.
const regexes = new WeakMap<PatternGuardrail, RegExp>();
function compiled(g: PatternGuardrail): RegExp {
  let re = regexes.get(g);
  if (!re) {
    re = g.kind === 'keyword' ? new RegExp(`\\b(?:${g.keywords.map(escapeRegex).join('|')})\\b`, 'giu') : new RegExp(g.pattern, 'giu');
    regexes.set(g, re);
  }
  return re;
}

/**
 * Applies one stage's guardrails in order: the first blocking match wins; redactions accumulate.
 * Input is capped before matching, so a tenant's regular expression cannot be fed unbounded text.
 */
export function applyGuardrails(config: AgentConfig, stage: 'input' | 'output', text: string, intent?: Intent): GuardrailResult {
  let current = text.slice(0, MAX_SCANNED);
  const redactedBy: string[] = [];
  for (const g of config.guardrails) {
    if (g.stage !== stage) continue;
    if (g.kind === 'intent') {
      if (intent && g.intents.includes(intent)) return { text: current, blocked: { id: g.id, reply: g.reply ?? DEFAULT_BLOCK_REPLY }, redactedBy };
      continue;
    }
    const re = compiled(g);
    re.lastIndex = 0;
    if (!re.test(current)) continue;
    if (g.action === 'block') return { text: current, blocked: { id: g.id, reply: g.reply ?? DEFAULT_BLOCK_REPLY }, redactedBy };
    re.lastIndex = 0;
    current = current.replace(re, '[redacted]');
    redactedBy.push(g.id);
  }
  return { text: current, redactedBy };
}
