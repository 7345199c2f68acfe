import type { AgentConfig } from './config/agent-config.js';

export type Attributes = Record<string, string | undefined>;
export type EscalationRule = AgentConfig['escalation'][number];

function holds(cond: EscalationRule['any'][number], attrs: Attributes): boolean {
  const actual = attrs[cond.attribute];
  const values = Array.isArray(cond.value) ? cond.value : [cond.value];
  const match = actual !== undefined && values.some((v) => v.toLowerCase() === actual.toLowerCase());
  return cond.op === 'neq' ? !match : match;
}

/** The first rule whose conditions hold: every `all` condition, and at least one `any` when given. */
export function matchEscalation(config: AgentConfig, attrs: Attributes): EscalationRule | undefined {
  return config.escalation.find((rule) => rule.all.every((c) => holds(c, attrs)) && (rule.any.length === 0 || rule.any.some((c) => holds(c, attrs))));
}
