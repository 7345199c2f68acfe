import { describe, expect, it } from 'vitest';
import { AgentConfigSchema } from '../config/agent-config.js';
import { availableTools, planToolCalls, type HttpToolDef, type ToolScope } from './policy.js';

const config = AgentConfigSchema.parse({
  tools: {
    enabled: ['lookup_order', 'create_ticket', 'add_tag', 'handoff', 'update_contact', 'merge_contacts', 'issue_refund', 'export_contacts'],
    requireApproval: ['issue_refund', 'merge_contacts', 'export_contacts'],
  },
});
const shop: HttpToolDef = { id: 't1', name: 'lookup_order', description: 'shop', parameters: { type: 'object' }, requiresApproval: false, enabled: true };
const stock: HttpToolDef = {
  id: 't2',
  name: 'check_stock',
  description: 'Stock level of a SKU',
  parameters: { type: 'object', properties: { sku: { type: 'string', maxLength: 12 } }, required: ['sku'], additionalProperties: false },
  requiresApproval: false,
  enabled: true,
};
const scope: ToolScope = { config, httpTools: [shop, stock], customerText: 'Hi, where is my order #NW-10234? My email is me@example.com', contact: { email: 'me@example.com', phone: '+31 6 12345678' } };
const plan = (name: string, args: unknown, s: Partial<ToolScope> = {}) =>
  planToolCalls([{ providerCallId: 'c1', name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }], { ...scope, ...s })[0];

describe('tool policy', () => {
  it('offers enabled tools only, and lookup_order only once a shop endpoint is bound', () => {
    expect(availableTools(scope).map((t) => t.name)).toEqual(expect.arrayContaining(['lookup_order', 'issue_refund', 'check_stock']));
    expect(availableTools({ config, httpTools: [] }).map((t) => t.name)).not.toContain('lookup_order');
    expect(availableTools({ config: AgentConfigSchema.parse({}), httpTools: [shop] }).map((t) => t.name)).toEqual(['handoff']);
    const spec = availableTools(scope).find((t) => t.name === 'issue_refund')!;
    expect(spec.parameters).toMatchObject({ type: 'object', properties: { orderNumber: { type: 'string' }, amount: { type: 'number' } } });
  });

  it('runs a grounded lookup at once, and blocks an order number the customer never gave', () => {
    expect(plan('lookup_order', { orderNumber: 'NW-10234' })).toMatchObject({ status: 'pending', needsApproval: false });
    expect(plan('lookup_order', { orderNumber: '55555' })).toMatchObject({ status: 'blocked', reason: expect.stringContaining('orderNumber') });
    // Another customer's email is not an order number, so there is nothing to look up.
    expect(plan('lookup_order', { orderNumber: 'mila.jansen@example.com' }).status).toBe('blocked');
  });

  it('puts refunds, merges and exports to a human', () => {
    expect(plan('issue_refund', { orderNumber: 'NW-10234', amount: 20 })).toMatchObject({ status: 'awaiting_approval', needsApproval: true, arguments: { currency: 'EUR' } });
    expect(plan('export_contacts', {}).status).toBe('awaiting_approval');
    expect(plan('merge_contacts', {}).status).toBe('awaiting_approval');
  });

  it('needs approval to change how a customer is reached, not to fix their name', () => {
    expect(plan('update_contact', { email: 'hacker@example.com' }).status).toBe('awaiting_approval');
    expect(plan('update_contact', { phone: '+31 6 99999999' }).status).toBe('awaiting_approval');
    expect(plan('update_contact', { email: 'ME@example.com', name: 'Sam' }).status).toBe('pending');
  });

  it('blocks unknown and disabled tools, bad JSON, and arguments that name a tenant or contact', () => {
    expect(plan('drop_tables', {}).reason).toContain('not available');
    expect(plan('update_lead_stage', { stage: 'won' }).reason).toContain('not available');
    expect(plan('add_tag', '{"tag": ').reason).toContain('not valid JSON');
    expect(plan('add_tag', '[1]').reason).toContain('JSON object');
    expect(plan('create_ticket', { subject: 'x', tenant: 'acme-corp' }).status).toBe('blocked');
    expect(plan('add_tag', { tag: 'vip', contactId: 'someone-else' }).status).toBe('blocked');
  });

  it("validates a tenant tool's arguments against its JSON schema", () => {
    expect(plan('check_stock', { sku: 'JKT-42' }).status).toBe('pending');
    expect(plan('check_stock', { sku: 'x'.repeat(20) }).reason).toContain('sku');
    expect(plan('check_stock', {}).status).toBe('blocked');
    expect(plan('check_stock', { sku: 'JKT-42' }, { httpTools: [{ ...stock, requiresApproval: true }] }).status).toBe('awaiting_approval');
  });
});
