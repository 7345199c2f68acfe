import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { withTenant } from '../../db/client.js';
import { automationEvents, automationRuns, contacts, conversations, leadStageChanges, leads, pipelineStages, pipelines, tickets } from '../../db/schema/index.js';
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

  it('fires on conversations created and resolved, lead stage changes (filtered by stage) and ticket updates', async () => {
    const ws = await h.signup('events-more');
    const tenantId = ws.tenant.id;
    const stopFlow = (trigger: ReturnType<typeof node>) => ({ nodes: [trigger, node('done', 'logic.stop')], edges: [edge('start', 'done')] });
    const [p] = await h.db.insert(pipelines).values({ tenantId, name: 'Sales' }).returning();
    const [s1, s2] = await h.db.insert(pipelineStages).values([{ tenantId, pipelineId: p.id, name: 'New', position: 0 }, { tenantId, pipelineId: p.id, name: 'Won', position: 1, kind: 'won' }]).returning();
    const created = await publishAutomation(h.db, tenantId, stopFlow(node('start', 'trigger.conversation_created')));
    const resolved = await publishAutomation(h.db, tenantId, stopFlow(node('start', 'trigger.conversation_resolved')));
    const won = await publishAutomation(h.db, tenantId, stopFlow(node('start', 'trigger.lead_stage_changed', { stageId: s2.id })));
    const updated = await publishAutomation(h.db, tenantId, stopFlow(node('start', 'trigger.ticket_updated')));

    const [contact] = await withTenant(h.db, tenantId, (tx) => tx.insert(contacts).values({ tenantId, name: 'Lee' }).returning());
    const [conv] = await withTenant(h.db, tenantId, (tx) => tx.insert(conversations).values({ tenantId, contactId: contact.id, channel: 'sms' }).returning());
    await withTenant(h.db, tenantId, (tx) => tx.update(conversations).set({ status: 'resolved' }).where(eq(conversations.id, conv.id)));
    const [lead] = await withTenant(h.db, tenantId, (tx) => tx.insert(leads).values({ tenantId, pipelineId: p.id, stageId: s1.id, contactId: contact.id, title: 'Deal' }).returning());
    // A move into another stage than the filter's fires nothing; into "Won" it does.
    await withTenant(h.db, tenantId, (tx) => tx.insert(leadStageChanges).values({ tenantId, leadId: lead.id, fromStageId: s2.id, toStageId: s1.id }));
    await withTenant(h.db, tenantId, (tx) => tx.insert(leadStageChanges).values({ tenantId, leadId: lead.id, fromStageId: s1.id, toStageId: s2.id }));
    const [ticket] = await withTenant(h.db, tenantId, (tx) => tx.insert(tickets).values({ tenantId, contactId: contact.id, subject: 'Help', source: 'manual' }).returning());
    await withTenant(h.db, tenantId, (tx) => tx.update(tickets).set({ status: 'open' }).where(eq(tickets.id, ticket.id)));

    const done = async (automationId: string) => (await runsOf(automationId)).filter((r) => r.status === 'succeeded');
    await eventually(async () => (await done(created.automationId)).length === 1 && (await done(resolved.automationId)).length === 1 && (await done(won.automationId)).length === 1 && (await done(updated.automationId)).length === 1, 'a run of each', 30_000);
    expect((await runsOf(created.automationId))[0]).toMatchObject({ conversationId: conv.id, contactId: contact.id, trigger: { channel: 'sms' } });
    expect((await runsOf(won.automationId))).toHaveLength(1);
    expect((await runsOf(won.automationId))[0].trigger).toMatchObject({ leadId: lead.id, toStageId: s2.id, pipelineId: p.id });
    expect((await runsOf(updated.automationId))[0].trigger).toMatchObject({ ticketId: ticket.id, changed: ['status'] });
  });
});

