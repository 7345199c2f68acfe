import { describe, expect, it } from 'vitest';
import { NODE_TYPES, NodeSchema, branchesOf, type AutomationNode } from './definition.js';
import { validateDefinition, type DefinitionError } from './validate-definition.js';

const at = { x: 0, y: 0 };
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, position: at, config });
const edge = (id: string, source: string, target: string, handle?: string) => ({ id, source, target, ...(handle ? { handle } : {}) });

/** The example: WhatsApp "price" → classify → if interested → create lead → send template, else → tag. */
function example() {
  return {
    nodes: [
      node('start', 'trigger.message_received', { channels: ['whatsapp'], keywords: ['price'] }),
      node('classify', 'ai.classify', { labels: ['interested', 'not_interested'], text: '{{trigger.message.text}}' }),
      node('check', 'logic.if', { condition: { left: '{{nodes.classify.output.label}}', op: 'equals', right: 'interested' } }),
      node('lead', 'action.create_lead', { pipelineId: 'sales', title: 'Price enquiry from {{contact.name}}' }),
      node('send', 'action.send_message', {
        channel: 'whatsapp',
        whatsappTemplate: { contentSid: 'HX123', variables: { '1': '{{contact.name}}', '2': '{{nodes.lead.output.id}}' } },
      }),
      node('tag', 'action.tag', { add: ['not-interested'] }),
    ] as Array<ReturnType<typeof node>>,
    edges: [
      edge('e1', 'start', 'classify'),
      edge('e2', 'classify', 'check'),
      edge('e3', 'check', 'lead', 'yes'),
      edge('e4', 'lead', 'send'),
      edge('e5', 'check', 'tag', 'no'),
    ] as Array<ReturnType<typeof edge>>,
  };
}

function errorsOf(input: unknown): DefinitionError[] {
  const result = validateDefinition(input);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return result.errors;
}

describe('validateDefinition', () => {
  it('accepts the issue example and returns the typed definition', () => {
    const result = validateDefinition(example());
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.definition.nodes.find((n) => n.id === 'start')).toMatchObject({ config: { intents: [] } });
  });

  it('rejects input that is not a graph', () => {
    expect(errorsOf('nope')).toEqual([{ message: expect.any(String) }]);
  });

  it('reports a bad config on its node and field', () => {
    const def = example();
    def.nodes[1].config.labels = ['interested'];
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'classify', field: 'config.labels' })]);
  });

  it('reports an unknown config key, an unknown node type and node-level fields', () => {
    const def = example();
    def.nodes[5].config.colour = 'red';
    def.nodes.push({ ...node('mystery', 'action.teleport'), position: at });
    def.edges.push(edge('e6', 'tag', 'mystery'));
    (def.nodes[3] as Record<string, unknown>).retry = { maxAttempts: 11 };
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'tag', field: 'config' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'mystery', field: 'type' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'lead', field: 'retry.maxAttempts' }));
  });

  it('reports a bad condition at its nested path', () => {
    const def = example();
    def.nodes[2].config.condition = { any: [{ left: '{{contact.tier}}', op: 'equals', right: 'gold' }, { left: '{{contact.age}}', op: 'older_than' }] };
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'check', field: 'config.condition.any.1.op' })]);
    def.nodes[2].config.condition = { all: [{ left: 'x', op: 'exists' }], not: { left: 'y', op: 'exists' } };
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'check', field: 'config.condition' })]);
  });

  it('checks "exactly one of" configs and cross-field rules', () => {
    const def = example();
    def.nodes[4].config = { channel: 'sms', text: 'hi', subject: 'Hello' };
    def.nodes[5] = node('tag', 'action.assign', { userId: 'u1', teamId: 't1' });
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'send', field: 'config.subject' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'tag', field: 'config' }));
    expect(NodeSchema.safeParse(node('s', 'trigger.schedule', { cron: '0 9 * * *', everySeconds: 60 })).success).toBe(false);
    expect(NodeSchema.safeParse(node('s', 'trigger.schedule', { everySeconds: 30 })).success).toBe(false);
    expect(NodeSchema.safeParse(node('s', 'trigger.schedule', { everySeconds: 60 })).success).toBe(true);
    expect(NodeSchema.safeParse(node('d', 'logic.delay', { until: '{{trigger.at}}', timezone: 'Europe/Lisbon', businessHoursOnly: true })).success).toBe(true);
    expect(NodeSchema.safeParse(node('d', 'logic.delay', {})).success).toBe(false);
  });

  it('requires a trigger', () => {
    const def = example();
    def.nodes.shift();
    def.edges.shift();
    expect(errorsOf(def)).toEqual([{ message: 'An automation needs a trigger node' }]);
  });

  it('rejects a second trigger, naming it', () => {
    const def = example();
    def.nodes.push(node('again', 'trigger.ticket_created'));
    expect(errorsOf(def)).toContainEqual(expect.objectContaining({ nodeId: 'again', field: 'type' }));
  });

  it('rejects duplicate node ids', () => {
    const def = example();
    def.nodes.push(node('tag', 'action.tag', { remove: ['x'] }));
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'tag', field: 'id' })]);
  });

  it('rejects dangling edges at either end', () => {
    const def = example();
    def.edges.push(edge('e6', 'ghost', 'tag'), edge('e7', 'tag', 'nowhere'));
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e6', field: 'source' }));
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e7', field: 'target' }));
    expect(errors).toHaveLength(2);
  });

  it('rejects duplicate edge ids and edges into the trigger', () => {
    const def = example();
    def.edges.push(edge('e5', 'tag', 'start'));
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e5', field: 'id' }));
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e5', nodeId: 'start', field: 'target' }));
    expect(errors).toHaveLength(2);
  });

  it('rejects handles the source does not have', () => {
    const def = example();
    def.edges[2].handle = 'maybe';
    def.nodes.push(node('end', 'logic.stop'));
    def.edges.push(edge('e6', 'tag', 'end'), edge('e7', 'end', 'tag'), edge('e8', 'start', 'tag', 'error'));
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e3', nodeId: 'check', field: 'handle' }));
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e7', nodeId: 'end', field: 'handle' }));
    expect(errors).toContainEqual(expect.objectContaining({ edgeId: 'e8', nodeId: 'start', field: 'handle' }));
  });

  it('allows one edge per handle (no fan-out)', () => {
    const def = example();
    def.edges.push(edge('e6', 'lead', 'tag'));
    expect(errorsOf(def)).toEqual([expect.objectContaining({ edgeId: 'e6', nodeId: 'lead', field: 'handle' })]);
    const withError = example();
    withError.edges.push(edge('e6', 'lead', 'tag', 'error'));
    expect(validateDefinition(withError).ok).toBe(true);
  });

  it('rejects nodes the trigger cannot reach', () => {
    const def = example();
    def.nodes.push(node('orphan', 'action.handoff', { to: 'human' }));
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'orphan', message: 'Not reachable from the trigger' })]);
  });

  it('rejects references to nodes that do not exist', () => {
    const def = example();
    def.nodes[3].config.title = 'Lead {{nodes.clasify.output.label}}';
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'lead', field: 'config.title', message: expect.stringContaining('"clasify"') })]);
  });

  it('rejects references to nodes that cannot have run yet', () => {
    const def = example();
    def.nodes[5] = node('tag', 'action.update_contact', { attributes: { lead: '{{nodes.lead.output.id}}' } });
    def.nodes[1].config.text = '{{nodes.classify.output.label}}';
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'tag', field: 'config.attributes', message: expect.stringContaining('cannot have run') }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'classify', field: 'config.text' }));
    expect(errors).toHaveLength(2);
  });

  it('lets a node on a cycle read itself and anything before it', () => {
    const def = example();
    def.nodes.push(node('wait', 'logic.wait_for_reply', { timeoutSeconds: 3600 }));
    def.edges.push(edge('e6', 'tag', 'wait'), edge('e7', 'wait', 'classify'));
    def.nodes[5].config = { add: ['{{nodes.wait.output.text}}', '{{nodes.tag.output.count}}'] };
    expect(validateDefinition(def).ok).toBe(true);
  });

  it('still checks references in a node whose config is invalid', () => {
    const def = example();
    def.nodes[1].config = { labels: [], text: '{{nodes.send.output.sid}}' };
    const errors = errorsOf(def);
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'classify', field: 'config.labels' }));
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: 'classify', field: 'config.text', message: expect.stringContaining('"send"') }));
  });

  it('rejects references outside trigger, contact and nodes', () => {
    const def = example();
    def.nodes[3].config.title = '{{secrets.apiKey}}';
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'lead', field: 'config.title' })]);
  });

  it('reports a malformed expression on its node and field', () => {
    const def = example();
    def.nodes[3].config.title = 'Lead {{nodes.classify.output.label';
    expect(errorsOf(def)).toEqual([expect.objectContaining({ nodeId: 'lead', field: 'config.title' })]);
  });

  it('reports every problem at once', () => {
    const def = example();
    def.nodes[1].config.labels = [];
    def.nodes.push(node('orphan', 'action.handoff', { to: 'human' }));
    def.edges.push(edge('e6', 'check', 'ghost', 'no'));
    const errors = errorsOf(def);
    expect(errors.map((e) => e.nodeId ?? e.edgeId).sort()).toEqual(['classify', 'e6', 'orphan']);
  });
});

describe('definition', () => {
  it('groups every node type by category', () => {
    expect(Object.keys(NODE_TYPES)).toEqual(['trigger', 'logic', 'ai', 'action']);
    expect(NODE_TYPES.trigger).toHaveLength(10);
    expect(NODE_TYPES.logic).toEqual(['logic.if', 'logic.switch', 'logic.delay', 'logic.wait_for_reply', 'logic.approval', 'logic.stop']);
    expect(NODE_TYPES.ai).toHaveLength(3);
    expect(NODE_TYPES.action).toHaveLength(10);
  });

  it('gives each node its branch handles', () => {
    const parse = (n: unknown) => NodeSchema.parse(n) as AutomationNode;
    const sw = parse(node('sw', 'logic.switch', { value: '{{contact.tier}}', cases: [{ key: 'gold', equals: 'gold' }, { key: 'silver', equals: 'silver' }] }));
    expect(branchesOf(sw)).toEqual(['gold', 'silver', 'default', 'error']);
    expect(branchesOf(parse(node('w', 'logic.approval', { timeoutSeconds: 60 })))).toEqual(['next', 'rejected', 'timeout', 'error']);
    expect(branchesOf(parse(node('s', 'logic.stop')))).toEqual([]);
    expect(branchesOf(parse(node('t', 'trigger.webhook')))).toEqual(['next']);
    expect(NodeSchema.safeParse(node('sw', 'logic.switch', { value: 'x', cases: [{ key: 'a', equals: '1' }, { key: 'a', equals: '2' }] })).success).toBe(false);
  });
});
