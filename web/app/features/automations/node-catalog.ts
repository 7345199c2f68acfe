/**
 * What the builder knows about each node type: its palette label, a starting config, the form
 * that edits it, the branches it offers and the outputs later steps can read. The graph rules
 * themselves live in the API (workflows/automation/definition.ts); it validates every save.
 */
import type { GraphNode } from './automation-types';

export type Category = 'trigger' | 'logic' | 'ai' | 'action';

export type Field =
  | { key: string; label: string; kind: 'text' | 'template' | 'textarea'; placeholder?: string; optional?: boolean }
  | { key: string; label: string; kind: 'number'; optional?: boolean }
  | { key: string; label: string; kind: 'select'; options: readonly string[]; optional?: boolean }
  | { key: string; label: string; kind: 'list'; placeholder?: string }
  | { key: string; label: string; kind: 'bool' }
  | { key: string; label: string; kind: 'json'; placeholder?: string; optional?: boolean }
  | { key: string; label: string; kind: 'condition' };

export interface NodeKind {
  type: string;
  label: string;
  category: Category;
  defaults: Record<string, unknown>;
  fields: Field[];
  /** Paths under `nodes.<id>.output` that later steps can use. */
  outputs: string[];
}

const CHANNELS = ['widget', 'whatsapp', 'sms', 'email', 'instagram', 'telegram', 'voice', 'api'] as const;

export const NODE_KINDS: NodeKind[] = [
  { type: 'trigger.message_received', label: 'Message received', category: 'trigger', defaults: { channels: [], keywords: [], intents: [] }, outputs: [],
    fields: [{ key: 'channels', label: `Channels (any of: ${CHANNELS.join(', ')}; empty = all)`, kind: 'list', placeholder: 'whatsapp' }, { key: 'keywords', label: 'Keywords (any; empty = all)', kind: 'list', placeholder: 'price' }, { key: 'intents', label: 'Intents (any; empty = all)', kind: 'list', placeholder: 'order_status' }] },
  { type: 'trigger.conversation_created', label: 'Conversation created', category: 'trigger', defaults: {}, fields: [], outputs: [] },
  { type: 'trigger.conversation_resolved', label: 'Conversation resolved', category: 'trigger', defaults: {}, fields: [], outputs: [] },
  { type: 'trigger.contact_created', label: 'New contact', category: 'trigger', defaults: {}, fields: [], outputs: [] },
  { type: 'trigger.contact_attribute_changed', label: 'Contact attribute changed', category: 'trigger', defaults: { attribute: '' }, fields: [{ key: 'attribute', label: 'Attribute', kind: 'text', placeholder: 'plan' }], outputs: [] },
  { type: 'trigger.lead_stage_changed', label: 'Lead stage changed', category: 'trigger', defaults: {}, outputs: [],
    fields: [{ key: 'pipelineId', label: 'Pipeline id (optional)', kind: 'text', optional: true }, { key: 'stageId', label: 'Stage id (optional)', kind: 'text', optional: true }] },
  { type: 'trigger.ticket_created', label: 'Ticket created', category: 'trigger', defaults: {}, fields: [], outputs: [] },
  { type: 'trigger.ticket_updated', label: 'Ticket updated', category: 'trigger', defaults: {}, fields: [], outputs: [] },
  { type: 'trigger.schedule', label: 'Schedule', category: 'trigger', defaults: { everySeconds: 3600 }, outputs: [],
    fields: [{ key: 'cron', label: 'Cron (e.g. 0 9 * * 1-5)', kind: 'text', optional: true }, { key: 'everySeconds', label: 'Or every N seconds (≥ 60)', kind: 'number', optional: true }] },
  { type: 'trigger.webhook', label: 'Webhook', category: 'trigger', defaults: {}, fields: [], outputs: [] },

  { type: 'logic.if', label: 'If / else', category: 'logic', defaults: { condition: { all: [{ left: '', op: 'equals', right: '' }] } }, fields: [{ key: 'condition', label: 'Condition', kind: 'condition' }], outputs: ['result'] },
  { type: 'logic.switch', label: 'Switch', category: 'logic', defaults: { value: '', cases: [{ key: 'a', equals: '' }] }, outputs: ['value', 'case'],
    fields: [{ key: 'value', label: 'Value', kind: 'template' }, { key: 'cases', label: 'Cases (JSON: [{"key": "gold", "equals": "gold"}])', kind: 'json' }] },
  { type: 'logic.delay', label: 'Delay', category: 'logic', defaults: { seconds: 60 }, outputs: ['until'],
    fields: [{ key: 'seconds', label: 'Seconds', kind: 'number', optional: true }, { key: 'until', label: 'Or until (09:30, 2026-12-24T09:00, or a template)', kind: 'template', optional: true }, { key: 'timezone', label: 'Time zone (default: the workspace’s)', kind: 'text', optional: true }, { key: 'businessHoursOnly', label: 'Within business hours only', kind: 'bool' }] },
  { type: 'logic.wait_for_reply', label: 'Wait for reply', category: 'logic', defaults: { timeoutSeconds: 86400 }, outputs: ['message.text', 'message.id', 'message.channel', 'timedOut'], fields: [{ key: 'timeoutSeconds', label: 'Timeout (seconds)', kind: 'number' }] },
  { type: 'logic.approval', label: 'Human approval', category: 'logic', defaults: { timeoutSeconds: 86400 }, outputs: ['approved', 'by'],
    fields: [{ key: 'approverRole', label: 'Approver role (at least)', kind: 'select', options: ['owner', 'admin', 'manager', 'agent'], optional: true }, { key: 'timeoutSeconds', label: 'Timeout (seconds)', kind: 'number' }] },
  { type: 'logic.stop', label: 'Stop', category: 'logic', defaults: {}, fields: [], outputs: [] },

  { type: 'ai.generate_reply', label: 'Generate a reply', category: 'ai', defaults: {}, outputs: ['text', 'provider'], fields: [{ key: 'instructions', label: 'Instructions', kind: 'textarea', optional: true }] },
  { type: 'ai.classify', label: 'Classify with AI', category: 'ai', defaults: { labels: ['interested', 'not_interested'], text: '{{trigger.message.text}}' }, outputs: ['label', 'confidence', 'provider'],
    fields: [{ key: 'labels', label: 'Labels', kind: 'list', placeholder: 'interested' }, { key: 'text', label: 'Text to classify', kind: 'template' }] },
  { type: 'ai.extract', label: 'Extract fields', category: 'ai', defaults: { text: '{{trigger.message.text}}', fields: [{ name: 'email', type: 'string' }] }, outputs: ['fields', 'missing'],
    fields: [{ key: 'text', label: 'Text', kind: 'template' }, { key: 'fields', label: 'Fields (JSON: [{"name": "budget", "type": "number"}])', kind: 'json' }] },

  { type: 'action.send_message', label: 'Send message', category: 'action', defaults: { channel: 'whatsapp', text: 'Hi {{contact.name}}' }, outputs: ['messageId', 'status'],
    fields: [{ key: 'channel', label: 'Channel', kind: 'select', options: ['whatsapp', 'sms', 'email', 'widget'] }, { key: 'text', label: 'Text', kind: 'template', optional: true }, { key: 'whatsappTemplate', label: 'Or a WhatsApp template (JSON: {"contentSid": "HX…", "variables": {"1": "{{contact.name}}"}})', kind: 'json', optional: true }, { key: 'subject', label: 'Email subject', kind: 'template', optional: true }] },
  { type: 'action.update_contact', label: 'Update contact', category: 'action', defaults: { attributes: {} }, outputs: ['updated'], fields: [{ key: 'attributes', label: 'Set (JSON: {"plan": "{{nodes.x.output.label}}"})', kind: 'json' }] },
  { type: 'action.create_contact', label: 'Create contact', category: 'action', defaults: { attributes: {} }, outputs: ['contactId'], fields: [{ key: 'attributes', label: 'Fields (JSON: {"name": "…", "email": "…"})', kind: 'json' }] },
  { type: 'action.create_lead', label: 'Create lead', category: 'action', defaults: { pipelineId: '', title: 'Lead from {{contact.name}}' }, outputs: ['leadId', 'stage'],
    fields: [{ key: 'pipelineId', label: 'Pipeline id', kind: 'text' }, { key: 'stageId', label: 'Stage id (default: the first)', kind: 'text', optional: true }, { key: 'title', label: 'Title', kind: 'template' }, { key: 'value', label: 'Value', kind: 'number', optional: true }] },
  { type: 'action.move_lead_stage', label: 'Move lead stage', category: 'action', defaults: { stageId: '' }, outputs: ['leadId', 'stage'], fields: [{ key: 'stageId', label: 'Stage id', kind: 'text' }] },
  { type: 'action.create_ticket', label: 'Create ticket', category: 'action', defaults: { subject: '', priority: 'normal' }, outputs: ['ticketId'],
    fields: [{ key: 'subject', label: 'Subject', kind: 'template' }, { key: 'priority', label: 'Priority', kind: 'select', options: ['urgent', 'high', 'normal', 'low'] }] },
  { type: 'action.assign', label: 'Assign', category: 'action', defaults: {}, outputs: ['assigneeId', 'teamId'],
    fields: [{ key: 'userId', label: 'User id', kind: 'text', optional: true }, { key: 'teamId', label: 'Or team id', kind: 'text', optional: true }, { key: 'roundRobinTeamId', label: 'Or round-robin in team id', kind: 'text', optional: true }] },
  { type: 'action.tag', label: 'Add / remove tag', category: 'action', defaults: { add: [], remove: [] }, outputs: ['tags'], fields: [{ key: 'add', label: 'Add tags', kind: 'list', placeholder: 'vip' }, { key: 'remove', label: 'Remove tags', kind: 'list' }] },
  { type: 'action.handoff', label: 'Hand off', category: 'action', defaults: { to: 'human' }, outputs: ['owner'], fields: [{ key: 'to', label: 'To', kind: 'select', options: ['human', 'ai'] }] },
  { type: 'action.http_request', label: 'HTTP request', category: 'action', defaults: { method: 'POST', url: 'https://' }, outputs: ['status', 'body'],
    fields: [{ key: 'method', label: 'Method', kind: 'select', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }, { key: 'url', label: 'URL', kind: 'template' }, { key: 'headers', label: 'Headers (JSON)', kind: 'json', optional: true }, { key: 'body', label: 'Body', kind: 'textarea', optional: true }] },
];

export const KIND_BY_TYPE = new Map(NODE_KINDS.map((k) => [k.type, k]));
export const CATEGORY_LABELS: Record<Category, string> = { trigger: 'Triggers', logic: 'Logic', ai: 'AI', action: 'Actions' };

export const categoryOf = (type: string) => type.slice(0, type.indexOf('.')) as Category;
export const labelOf = (type: string) => KIND_BY_TYPE.get(type)?.label ?? type;

/** The branch handles a node's outgoing edges may use (mirrors the API's branchesOf). */
export function branchesOf(node: Pick<GraphNode, 'type' | 'config'>): string[] {
  switch (node.type) {
    case 'logic.stop':
      return [];
    case 'logic.if':
      return ['yes', 'no', 'error'];
    case 'logic.switch': {
      const cases = Array.isArray(node.config.cases) ? (node.config.cases as Array<{ key?: unknown }>).map((c) => String(c.key ?? '')).filter(Boolean) : [];
      return [...cases, 'default', 'error'];
    }
    case 'logic.wait_for_reply':
      return ['next', 'timeout', 'error'];
    case 'logic.approval':
      return ['next', 'rejected', 'timeout', 'error'];
    default:
      return categoryOf(node.type) === 'trigger' ? ['next'] : ['next', 'error'];
  }
}

/** What `{{trigger.…}}` holds for each trigger type. */
export const TRIGGER_FIELDS: Record<string, string[]> = {
  'trigger.message_received': ['message.text', 'message.channel', 'message.id', 'message.intent', 'conversationId', 'contactId'],
  'trigger.conversation_created': ['conversationId', 'contactId', 'channel'],
  'trigger.conversation_resolved': ['conversationId', 'contactId', 'channel'],
  'trigger.contact_created': ['contactId'],
  'trigger.contact_attribute_changed': ['contactId', 'changed', 'before', 'after'],
  'trigger.lead_stage_changed': ['leadId', 'pipelineId', 'fromStageId', 'toStageId', 'contactId'],
  'trigger.ticket_created': ['ticketId', 'contactId', 'conversationId', 'status', 'priority'],
  'trigger.ticket_updated': ['ticketId', 'contactId', 'conversationId', 'status', 'priority', 'changed'],
  'trigger.schedule': ['scheduledAt'],
  'trigger.webhook': ['body', 'headers', 'receivedAt'],
};

const CONTACT_FIELDS = ['name', 'email', 'phone', 'tags', 'attributes'];

/** A sample payload for test runs, per trigger type. */
export function sampleTrigger(type: string | undefined): Record<string, unknown> {
  switch (type) {
    case 'trigger.message_received':
      return { message: { text: 'What is the price of the blue jacket?', channel: 'whatsapp' } };
    case 'trigger.webhook':
      return { body: { example: true } };
    case 'trigger.contact_attribute_changed':
      return { changed: ['plan'], before: {}, after: { plan: 'pro' } };
    default:
      return {};
  }
}

/** The references a template in `nodeId` may use: the trigger's fields, the contact's, and outputs of the steps before it. */
export function referencesAt(nodeId: string, nodes: GraphNode[], edges: Array<{ source: string; target: string }>): string[] {
  const trigger = nodes.find((n) => categoryOf(n.type) === 'trigger');
  const upstream = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const current = stack.pop()!;
    for (const e of edges) {
      if (e.target !== current || upstream.has(e.source)) continue;
      upstream.add(e.source);
      stack.push(e.source);
    }
  }
  const refs = [...(TRIGGER_FIELDS[trigger?.type ?? ''] ?? []).map((f) => `trigger.${f}`), ...CONTACT_FIELDS.map((f) => `contact.${f}`)];
  for (const n of nodes) {
    if (!upstream.has(n.id) || categoryOf(n.type) === 'trigger') continue;
    for (const out of KIND_BY_TYPE.get(n.type)?.outputs ?? []) refs.push(`nodes.${n.id}.output.${out}`);
    if (n.type === 'ai.extract' && Array.isArray(n.config.fields)) for (const f of n.config.fields as Array<{ name?: string }>) if (f.name) refs.push(`nodes.${n.id}.output.fields.${f.name}`);
  }
  return refs;
}

/** A readable id for a new node of `type`: `classify_1`, `classify_2`, … */
export function newNodeId(type: string, taken: Set<string>): string {
  const base = type.slice(type.indexOf('.') + 1).replace(/[^A-Za-z0-9_]/g, '_');
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}
