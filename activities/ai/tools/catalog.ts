import { z } from 'zod';
import { TOOL_NAMES } from '../config/agent-config.js';
import type { ToolSpec } from '../providers/types.js';

export type BuiltInTool = (typeof TOOL_NAMES)[number];

const OrderNumber = z.string().trim().regex(/^[A-Za-z0-9#-]{3,32}$/, 'must be an order number as the customer gave it');
const Priority = z.enum(['urgent', 'high', 'normal', 'low']);

/**
 * The built-in tools' arguments. None of them names a tenant or a contact: the conversation's
 * tenant and contact come from the workflow, so a model talked into "do it for Mila" has no
 * argument to put her in.
 */
export const BUILT_IN_ARGS = {
  lookup_order: z.object({ orderNumber: OrderNumber }).strict(),
  create_ticket: z
    .object({ subject: z.string().trim().min(1).max(200), description: z.string().max(2000).default(''), priority: Priority.default('normal') })
    .strict(),
  add_tag: z.object({ tag: z.string().trim().regex(/^[\p{L}\p{N} _-]{1,40}$/u, 'letters, digits, spaces, _ and - only, up to 40') }).strict(),
  update_contact: z
    .object({
      name: z.string().trim().min(1).max(120).optional(),
      email: z.string().trim().toLowerCase().email().max(254).optional(),
      phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/).optional(),
      language: z.string().trim().regex(/^[a-z]{2}$/).optional(),
    })
    .strict()
    .refine((a) => Object.keys(a).length > 0, 'give at least one field to change'),
  update_lead_stage: z.object({ stage: z.string().trim().min(1).max(80) }).strict(),
  schedule_follow_up: z.object({ inHours: z.number().min(0.25).max(24 * 30), note: z.string().trim().min(1).max(500) }).strict(),
  handoff: z.object({ reason: z.string().max(300).optional(), team: z.string().trim().max(60).optional() }).strict(),
  issue_refund: z
    .object({
      orderNumber: OrderNumber,
      amount: z.number().positive().max(100_000),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').default('EUR'),
      reason: z.string().max(300).optional(),
    })
    .strict(),
  merge_contacts: z.object({ reason: z.string().max(300).optional() }).strict(),
  export_contacts: z.object({ reason: z.string().max(300).optional() }).strict(),
} satisfies Record<BuiltInTool, z.ZodType>;

const DESCRIPTIONS: Record<BuiltInTool, string> = {
  lookup_order: "Look up one of this customer's orders by the order number they gave.",
  create_ticket: 'Open a support ticket for this conversation, for work a teammate must do later.',
  add_tag: "Tag this customer's contact record.",
  update_contact: "Correct this customer's own contact details. Changing an email or phone needs a teammate's approval.",
  update_lead_stage: "Move this customer's open sales lead to another stage of its pipeline.",
  schedule_follow_up: 'Send this customer a follow-up message after some hours, e.g. to check a delivery arrived.',
  handoff: 'Hand the conversation to a human teammate.',
  issue_refund: "Refund an amount on one of this customer's orders. A teammate must approve it.",
  merge_contacts: "Merge this customer's duplicate contact records (same email or phone) into one. A teammate must approve it.",
  export_contacts: "Export this customer's own data (a data-access request). A teammate must approve it.",
};

/** Tools whose arguments must repeat something the customer wrote: a model cannot invent an order to look up. */
export const GROUNDED_ARGS: Partial<Record<BuiltInTool, string[]>> = { lookup_order: ['orderNumber'], issue_refund: ['orderNumber'] };

/** Built-in tools that call the tenant's shop: only offered once the tenant has bound an endpoint to them. */
export const ENDPOINT_TOOLS = new Set<string>(['lookup_order', 'issue_refund']);
/** issue_refund works without a shop endpoint: the refund is recorded for staff to carry out. */
export const ENDPOINT_REQUIRED = new Set<string>(['lookup_order']);

export const isBuiltIn = (name: string): name is BuiltInTool => (TOOL_NAMES as readonly string[]).includes(name);

// The argument schemas never change: convert each to JSON schema once, not on every reply.
const specs = new Map<BuiltInTool, ToolSpec>();
export function builtInSpec(name: BuiltInTool): ToolSpec {
  let spec = specs.get(name);
  if (!spec) {
    const { $schema: _, ...parameters } = z.toJSONSchema(BUILT_IN_ARGS[name], { io: 'input' }) as Record<string, unknown>;
    spec = { name, description: DESCRIPTIONS[name], parameters };
    specs.set(name, spec);
  }
  return spec;
}
