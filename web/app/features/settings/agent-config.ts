/**
 * The AI agent's configuration as the API stores it (`activities/ai/config/agent-config.ts`).
 * Mirrored here for the forms; the API validates every saved version and names bad fields.
 */
export const TOOL_NAMES = [
  'lookup_order',
  'create_ticket',
  'add_tag',
  'update_contact',
  'update_lead_stage',
  'schedule_follow_up',
  'handoff',
  'issue_refund',
  'merge_contacts',
  'export_contacts',
] as const;

export const INTENTS = [
  'greeting', 'order_status', 'shipping_question', 'return_refund', 'product_question', 'stock_inquiry', 'pricing_payment',
  'complaint', 'human_request', 'job_application', 'campaign_reply', 'opt_out', 'spam', 'privacy_request', 'store_info',
] as const;

export const TONES = ['friendly', 'neutral', 'formal'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const BUILT_IN_ATTRIBUTES = ['intent', 'priority', 'sentiment', 'urgency', 'language'] as const;

export type Guardrail =
  | { id: string; stage: 'input' | 'output'; kind: 'keyword'; keywords: string[]; action: 'block' | 'redact'; reply?: string }
  | { id: string; stage: 'input' | 'output'; kind: 'regex'; pattern: string; action: 'block' | 'redact'; reply?: string }
  | { id: string; stage: 'input'; kind: 'intent'; intents: string[]; action: 'block'; reply?: string };

export interface Condition {
  attribute: string;
  op: 'eq' | 'neq' | 'in';
  value: string | string[];
}

export interface EscalationRule {
  id: string;
  any: Condition[];
  all: Condition[];
  team?: string;
  priority: (typeof PRIORITIES)[number];
  createTicket: boolean;
  holdingMessage?: string;
}

export interface AgentConfig {
  name: string;
  guidance: { tone: (typeof TONES)[number]; rules: string[] };
  guardrails: Guardrail[];
  attributes: Array<{ key: string; description?: string; values: string[] }>;
  escalation: EscalationRule[];
  tools: { enabled: string[]; requireApproval: string[] };
}

/** Comma- or newline-separated words to a clean list. */
export const splitList = (value: string) =>
  value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
