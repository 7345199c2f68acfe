import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { automationEvents, automationRuns, contacts, tickets } from '../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../scripts/testing/harness.js';
import { edge, node, publishAutomation } from '../../scripts/testing/automation-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ automationEvents: true });
});
afterAll(async () => h?.close());

const runsOf = (automationId: string) => h.db.select().from(automationRuns).where(eq(automationRuns.automationId, automationId));
const eventsOf = (tenantId: string) => h.db.select().from(automationEvents).where(eq(automationEvents.tenantId, tenantId));

describe('record-change triggers', () => {
  it('records changes only while an automation listens, and runs each matching one once', async () => {
    const ws = await h.signup('events');
    const tenantId = ws.tenant.id;
    const addContact = (name: string) => withTenant(h.db, tenantId, (tx) => tx.insert(contacts).values({ tenantId, name }).returning()).then((r) => r[0]);

    // Nobody listens yet: the change leaves no event behind.
    await addContact('Before');
    expect(await eventsOf(tenantId)).toHaveLength(0);

    const onContact = await publishAutomation(h.db, tenantId, { nodes: [node('start', 'trigger.contact_created'), node('tag', 'action.tag', { add: ['welcome'] })], edges: [edge('start', 'tag')] });
    const onPlan = await publishAutomation(h.db, tenantId, { nodes: [node('start', 'trigger.contact_attribute_changed', { attribute: 'plan' }), node('tag', 'action.tag', { add: ['plan-{{contact.attributes.plan}}'] })], edges: [edge('start', 'tag')] });
    const onTicket = await publishAutomation(h.db, tenantId, { nodes: [node('start', 'trigger.ticket_created'), node('stop', 'logic.stop')], edges: [edge('start', 'stop')] });

    const ana = await addContact('Ana');
    await eventually(async () => (await runsOf(onContact.automationId))[0]?.status === 'succeeded', 'the contact_created run');
    expect((await h.db.select().from(contacts).where(eq(contacts.id, ana.id)))[0].tags).toContain('welcome');
    const [run] = await runsOf(onContact.automationId);
    expect(run).toMatchObject({ contactId: ana.id, triggerType: 'trigger.contact_created', trigger: { contactId: ana.id, kind: 'trigger.contact_created' } });

    // Only the attribute the trigger names fires it.
    await withTenant(h.db, tenantId, (tx) => tx.update(contacts).set({ attributes: { city: 'Ghent' } }).where(eq(contacts.id, ana.id)));
    await withTenant(h.db, tenantId, (tx) => tx.update(contacts).set({ attributes: { city: 'Ghent', plan: 'pro' } }).where(eq(contacts.id, ana.id)));
    await eventually(async () => (await runsOf(onPlan.automationId)).some((r) => r.status === 'succeeded'), 'the plan-change run');
    expect(await runsOf(onPlan.automationId)).toHaveLength(1);
    expect((await runsOf(onPlan.automationId))[0].trigger).toMatchObject({ changed: ['plan'], before: {}, after: { plan: 'pro' } });
    expect((await h.db.select().from(contacts).where(eq(contacts.id, ana.id)))[0].tags).toEqual(['plan-pro', 'welcome']);

    await withTenant(h.db, tenantId, (tx) => tx.insert(tickets).values({ tenantId, contactId: ana.id, subject: 'Broken zip', source: 'manual' }));
    await eventually(async () => (await runsOf(onTicket.automationId))[0]?.status === 'succeeded', 'the ticket run');

    // Every event was dispatched, once; dispatching again starts nothing new.
    await eventually(async () => (await eventsOf(tenantId)).every((e) => e.dispatchedAt !== null), 'all events dispatched');
    await h.db.update(automationEvents).set({ dispatchedAt: null }).where(and(eq(automationEvents.tenantId, tenantId), eq(automationEvents.kind, 'trigger.contact_created')));
    await eventually(async () => (await eventsOf(tenantId)).every((e) => e.dispatchedAt !== null), 'the re-dispatch');
    expect(await runsOf(onContact.automationId)).toHaveLength(1);
  });
});
