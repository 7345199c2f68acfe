/**
 * The automation graph as stored in a draft or a published version: nodes, edges, and one zod
 * config schema per node type. Pure (zod only), because the interpreter workflow imports it.
 *
 * Invariants the schemas alone cannot state (one trigger, no dangling edges, valid handles, one
 * edge per handle, reachability, expression references) are checked by `validateDefinition`.
 */
import { z } from 'zod';
import { CHANNELS } from '../../temporal/contracts.js';
import type { Condition } from './expressions.js';

/** A string that may contain `{{trigger.…}}`, `{{nodes.<id>.output.…}}` or `{{contact.…}}`. */
const Template = z.string();
const NonEmptyTemplate = z.string().min(1);
const Id = z.string().min(1);
const Seconds = z.number().int().positive();

const COMPARISON_OPS = [
  'equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with',
  'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists', 'in', 'matches',
] as const;

/**
 * `{all|any: [...]}`, `{not}`, or a comparison `{left, op, right?}` whose sides are templates.
 * One flat object refined by shape rather than a z.union, so a mistake deep in a nested group is
 * reported at its own path (`config.condition.all.1.op`) instead of as one opaque "Invalid input".
 */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(ConditionSchema).min(1).optional(),
      any: z.array(ConditionSchema).min(1).optional(),
      not: ConditionSchema.optional(),
      left: z.string().min(1).optional(),
      op: z.enum(COMPARISON_OPS).optional(),
      right: z.unknown().optional(),
    })
    .superRefine((c, ctx) => {
      const groups = (['all', 'any', 'not'] as const).filter((k) => c[k] !== undefined);
      if (c.left !== undefined || c.op !== undefined || c.right !== undefined) {
        if (groups.length) ctx.addIssue({ code: 'custom', path: [groups[0]], message: 'A comparison cannot also be a group' });
        if (c.left === undefined) ctx.addIssue({ code: 'custom', path: ['left'], message: 'A comparison needs left' });
        if (c.op === undefined) ctx.addIssue({ code: 'custom', path: ['op'], message: 'A comparison needs op' });
      } else if (groups.length !== 1) {
        ctx.addIssue({ code: 'custom', message: 'A condition is one of all, any, not, or a comparison (left, op, right)' });
      }
    }),
) as unknown as z.ZodType<Condition>;

/** Exactly one of `keys` is set; the error lands on `config` so the panel can show it. */
function exactlyOne(keys: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const set = keys.filter((k) => value[k] !== undefined);
    if (set.length !== 1) ctx.addIssue({ code: 'custom', message: `Set exactly one of: ${keys.join(', ')}` });
  };
}

const uniqueBy = <T>(items: T[], key: (item: T) => string) => new Set(items.map(key)).size === items.length;

// Config schemas are strict: an unknown key is a typo in the builder or a stale draft, and publishing
// it would silently drop the setting.
export const CONFIG_SCHEMAS = {
  'trigger.message_received': z.strictObject({
    channels: z.array(z.enum(CHANNELS)).default([]),
    keywords: z.array(z.string().min(1)).default([]),
    intents: z.array(z.string().min(1)).default([]),
  }),
  'trigger.conversation_created': z.strictObject({}),
  'trigger.conversation_resolved': z.strictObject({}),
  'trigger.contact_created': z.strictObject({}),
  'trigger.contact_attribute_changed': z.strictObject({ attribute: z.string().min(1) }),
  'trigger.lead_stage_changed': z.strictObject({ pipelineId: Id.optional(), stageId: Id.optional() }),
  'trigger.ticket_created': z.strictObject({}),
  'trigger.ticket_updated': z.strictObject({}),
  'trigger.schedule': z
    .strictObject({ cron: z.string().min(1).optional(), everySeconds: z.number().int().min(60).optional() })
    .superRefine(exactlyOne(['cron', 'everySeconds'])),
  // The webhook's URL and secret are issued server-side, never stored in the graph.
  'trigger.webhook': z.strictObject({}),

  'logic.if': z.strictObject({ condition: ConditionSchema }),
  'logic.switch': z.strictObject({
    value: NonEmptyTemplate,
    cases: z
      .array(z.strictObject({
        // `default` and `error` are branch names of their own.
        key: z.string().regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, _ or -').refine((k) => !['default', 'error', 'next'].includes(k), 'Reserved branch name'),
        equals: z.string(),
      }))
      .min(1)
      .refine((cases) => uniqueBy(cases, (c) => c.key), 'Case keys must be unique'),
  }),
  'logic.delay': z
    .strictObject({
      seconds: Seconds.optional(),
      until: NonEmptyTemplate.optional(),
      timezone: z.string().min(1).optional(),
      businessHoursOnly: z.boolean().optional(),
    })
    .superRefine((v, ctx) => {
      exactlyOne(['seconds', 'until'])(v, ctx);
      if (v.seconds !== undefined && (v.timezone !== undefined || v.businessHoursOnly !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'timezone and businessHoursOnly apply to `until` only' });
      }
    }),
  'logic.wait_for_reply': z.strictObject({ timeoutSeconds: Seconds }),
  // Roles and priorities mirror db/schema (users, tickets), which workflow code may not import.
  'logic.approval': z.strictObject({ approverRole: z.enum(['owner', 'admin', 'manager', 'agent']).optional(), timeoutSeconds: Seconds }),
  'logic.stop': z.strictObject({}),

  'ai.generate_reply': z.strictObject({ instructions: z.string().optional() }),
  'ai.classify': z.strictObject({
    labels: z.array(z.string().min(1)).min(2).max(20).refine((l) => uniqueBy(l, (x) => x), 'Labels must be unique'),
    text: NonEmptyTemplate,
  }),
  'ai.extract': z.strictObject({
    text: NonEmptyTemplate,
    fields: z
      .array(z.strictObject({
        name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use an identifier'),
        type: z.enum(['string', 'number', 'boolean', 'date']),
        description: z.string().optional(),
      }))
      .min(1)
      .refine((f) => uniqueBy(f, (x) => x.name), 'Field names must be unique'),
  }),

  'action.send_message': z
    .strictObject({
      channel: z.enum(['whatsapp', 'sms', 'email', 'widget']),
      text: NonEmptyTemplate.optional(),
      whatsappTemplate: z.strictObject({ contentSid: z.string().min(1), variables: z.record(z.string(), Template).default({}) }).optional(),
      subject: Template.optional(),
    })
    .superRefine((v, ctx) => {
      exactlyOne(['text', 'whatsappTemplate'])(v, ctx);
      if (v.whatsappTemplate && v.channel !== 'whatsapp') ctx.addIssue({ code: 'custom', path: ['whatsappTemplate'], message: 'Templates are for WhatsApp only' });
      if (v.subject !== undefined && v.channel !== 'email') ctx.addIssue({ code: 'custom', path: ['subject'], message: 'A subject is for email only' });
    }),
  'action.update_contact': z.strictObject({ attributes: z.record(z.string().min(1), Template) }),
  'action.create_contact': z.strictObject({ attributes: z.record(z.string().min(1), Template).default({}) }),
  'action.create_lead': z.strictObject({ pipelineId: Id, stageId: Id.optional(), value: z.number().nonnegative().optional(), title: NonEmptyTemplate }),
  'action.move_lead_stage': z.strictObject({ stageId: Id }),
  'action.create_ticket': z.strictObject({ subject: NonEmptyTemplate, priority: z.enum(['urgent', 'high', 'normal', 'low']).default('normal') }),
  'action.assign': z
    .strictObject({ userId: Id.optional(), teamId: Id.optional(), roundRobinTeamId: Id.optional() })
    .superRefine(exactlyOne(['userId', 'teamId', 'roundRobinTeamId'])),
  'action.tag': z
    .strictObject({ add: z.array(z.string().min(1)).default([]), remove: z.array(z.string().min(1)).default([]) })
    .refine((v) => v.add.length + v.remove.length > 0, 'Add or remove at least one tag'),
  'action.handoff': z.strictObject({ to: z.enum(['human', 'ai']) }),
  'action.http_request': z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: NonEmptyTemplate,
    headers: z.record(z.string().min(1), Template).optional(),
    body: Template.optional(),
  }),
} as const;

export type NodeType = keyof typeof CONFIG_SCHEMAS;
export type NodeCategory = 'trigger' | 'logic' | 'ai' | 'action';

/** Every node type by palette category, in palette order. */
export const NODE_TYPES = {
  trigger: [], logic: [], ai: [], action: [],
} as Record<NodeCategory, NodeType[]>;
for (const type of Object.keys(CONFIG_SCHEMAS) as NodeType[]) NODE_TYPES[categoryOf(type)].push(type);

export function categoryOf(type: NodeType): NodeCategory {
  return type.slice(0, type.indexOf('.')) as NodeCategory;
}

const nodeBase = {
  // The same shape as a name in an expression path, so every node can be referenced.
  id: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'Start with a letter or _, then letters, digits, _ or - (ids appear in `{{nodes.<id>…}}`)'),
  position: z.object({ x: z.number(), y: z.number() }),
  /** Activity attempts for I/O nodes; control nodes ignore it. */
  retry: z.strictObject({ maxAttempts: z.number().int().min(1).max(10) }).optional(),
  /** Per-attempt activity timeout for I/O nodes. */
  timeoutSeconds: Seconds.optional(),
};

const nodeSchema = <T extends NodeType>(type: T) =>
  z.object({ ...nodeBase, type: z.literal(type), config: CONFIG_SCHEMAS[type] as (typeof CONFIG_SCHEMAS)[T] });

type NodeSchemas = { [T in NodeType]: ReturnType<typeof nodeSchema<T>> }[NodeType];
export const NodeSchema = z.discriminatedUnion(
  'type',
  (Object.keys(CONFIG_SCHEMAS) as NodeType[]).map((t) => nodeSchema(t)) as unknown as [NodeSchemas, ...NodeSchemas[]],
);
export type AutomationNode = z.infer<typeof NodeSchema>;
export type NodeOf<T extends NodeType> = Extract<AutomationNode, { type: T }>;

/** `handle` names the source's branch; absent means `next`. */
export const EdgeSchema = z.object({ id: Id, source: Id, target: Id, handle: z.string().min(1).optional() });
export type Edge = z.infer<typeof EdgeSchema>;

export const AutomationDefinitionSchema = z.object({ nodes: z.array(NodeSchema), edges: z.array(EdgeSchema) });
export type AutomationDefinition = z.infer<typeof AutomationDefinitionSchema>;

export const NEXT = 'next';
export const edgeHandle = (edge: Pick<Edge, 'handle'>): string => edge.handle ?? NEXT;

/**
 * The handles a node's outgoing edges may use. Triggers have only `next` (a trigger cannot fail
 * inside the run); `stop` has none; every other node may also take `error`.
 */
export function branchesOf(node: AutomationNode): string[] {
  switch (node.type) {
    case 'logic.stop':
      return [];
    case 'logic.if':
      return ['yes', 'no', 'error'];
    case 'logic.switch':
      return [...node.config.cases.map((c) => c.key), 'default', 'error'];
    case 'logic.wait_for_reply':
      return [NEXT, 'timeout', 'error'];
    case 'logic.approval':
      // `next` is approved; a rejection with no edge of its own ends the run.
      return [NEXT, 'rejected', 'timeout', 'error'];
    default:
      return categoryOf(node.type) === 'trigger' ? [NEXT] : [NEXT, 'error'];
  }
}
