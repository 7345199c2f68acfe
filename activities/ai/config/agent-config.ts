import { z } from 'zod';
import { INTENTS } from '../local/triage.js';

/**
 * An AI agent's configuration, as stored (versioned) in MongoDB and validated on every write.
 * Built-in attributes (intent, priority, sentiment, urgency, language) are always detected;
 * `attributes` adds the tenant's own.
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

const regexSource = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => {
    try {
      new RegExp(s, 'iu');
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression')
  // A quantified group that itself contains a quantifier, like (a+)+ or (\\w+\\s?)*, can take
  // exponential time on a crafted message and stall the worker for every tenant.
  .refine((s) => !/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/.test(s), 'must not nest quantifiers, like (a+)+')

const Guardrail = z.discriminatedUnion('kind', [
  z.object({ id: z.string().min(1).max(60), stage: z.enum(['input', 'output']), kind: z.literal('keyword'), keywords: z.array(z.string().min(1).max(100)).min(1).max(200), action: z.enum(['block', 'redact']), reply: z.string().max(1000).optional() }),
  z.object({ id: z.string().min(1).max(60), stage: z.enum(['input', 'output']), kind: z.literal('regex'), pattern: regexSource, action: z.enum(['block', 'redact']), reply: z.string().max(1000).optional() }),
  // The model-based check: with the local provider it is the triage classifier's intent.
  z.object({ id: z.string().min(1).max(60), stage: z.literal('input'), kind: z.literal('intent'), intents: z.array(z.enum(INTENTS)).min(1), action: z.literal('block'), reply: z.string().max(1000).optional() }),
]);

const BUILT_IN_ATTRIBUTES = ['intent', 'priority', 'sentiment', 'urgency', 'language'] as const;
const Condition = z.object({
  attribute: z.string().min(1).max(60),
  op: z.enum(['eq', 'neq', 'in']),
  value: z.union([z.string().max(100), z.array(z.string().max(100)).max(50)]),
});

export const AgentConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(80).default('Assistant'),
    guidance: z
      .object({
        tone: z.enum(['friendly', 'neutral', 'formal']).default('friendly'),
        rules: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
      })
      .default({ tone: 'friendly', rules: [] }),
    guardrails: z.array(Guardrail).max(100).default([]),
    attributes: z
      .array(z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case'), description: z.string().max(300).optional(), values: z.array(z.string().min(1).max(60)).min(1).max(50) }))
      .max(30)
      .default([]),
    escalation: z
      .array(
        z.object({
          id: z.string().min(1).max(60),
          any: z.array(Condition).max(20).default([]),
          all: z.array(Condition).max(20).default([]),
          team: z.string().max(60).optional(),
          priority: z.enum(['low', 'medium', 'high', 'urgent']).default('medium'),
          createTicket: z.boolean().default(false),
          holdingMessage: z.string().max(1000).optional(),
        }),
      )
      .max(50)
      .default([]),
    tools: z
      .object({
        enabled: z.array(z.enum(TOOL_NAMES)).default(['handoff']),
        requireApproval: z.array(z.enum(TOOL_NAMES)).default(['issue_refund', 'merge_contacts', 'export_contacts']),
      })
      .default({ enabled: ['handoff'], requireApproval: ['issue_refund', 'merge_contacts', 'export_contacts'] }),
  })
  .superRefine((c, ctx) => {
    const custom = new Set(c.attributes.map((a) => a.key));
    c.escalation.forEach((rule, i) => {
      if (rule.any.length === 0 && rule.all.length === 0) ctx.addIssue({ code: 'custom', path: ['escalation', i], message: 'needs at least one condition' });
      [...rule.any, ...rule.all].forEach((cond) => {
        const known = (BUILT_IN_ATTRIBUTES as readonly string[]).includes(cond.attribute) || custom.has(cond.attribute) || cond.attribute.startsWith('contact.');
        if (!known) ctx.addIssue({ code: 'custom', path: ['escalation', i, 'attribute'], message: `unknown attribute '${cond.attribute}'` });
      });
    });
  });

export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export const DEFAULT_AGENT_CONFIG: AgentConfig = AgentConfigSchema.parse({});
