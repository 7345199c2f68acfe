import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { parseMasterKey } from '../../../db/credential-crypto.js';
import {
  campaignRecipients,
  campaigns,
  contactIdentities,
  contacts,
  conversations,
  followUps,
  leadStageChanges,
  leads,
  messages,
  pipelineStages,
  pipelines,
  refunds,
  stockSubscriptions,
  tickets,
  toolCalls,
} from '../../../db/schema/index.js';
import { startHarness, TEST_CREDENTIALS_KEY, type Harness } from '../../../scripts/testing/harness.js';
import { createToolActivities } from './tool.activities.js';

/**
 * The built-in tools the agent runs against our own records, called as the conversation workflow
 * calls them: each acts on the conversation's own contact, once, and only once it may.
 */

let h: Harness;
let tools: ReturnType<typeof createToolActivities>;
beforeAll(async () => {
  // No worker: nothing but these tests touches the rows they set up.
  h = await startHarness({ worker: false });
  tools = createToolActivities({ db: h.db, mongo: h.mongo, credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), allowPrivateNetworks: true });
});
afterAll(async () => {
  await h?.close();
});

/** A workspace with Sam (the customer in the conversation) and Mila, another customer of the same shop. */
async function workspace(label: string) {
  const ws = await h.signup(label);
  const tenantId = ws.tenant.id;
  const [sam] = await h.db
    .insert(contacts)
    .values({ tenantId, name: 'Sam de Vries', email: 'sam@example.com', phone: '+31 6 1234 5678', tags: ['vip'], attributes: { plan: 'gold' } })
    .returning();
  const [mila] = await h.db
    .insert(contacts)
    .values({ tenantId, name: 'Mila Jansen', email: 'mila.jansen@example.com', phone: '+31 6 9999 0000', tags: ['newsletter'], attributes: { plan: 'basic' } })
    .returning();
  const [conv] = await h.db.insert(conversations).values({ tenantId, contactId: sam.id, channel: 'widget' }).returning();
  const [milaConv] = await h.db.insert(conversations).values({ tenantId, contactId: mila.id, channel: 'widget' }).returning();
  const [inbound] = await h.db
    .insert(messages)
    .values({ tenantId, conversationId: conv.id, direction: 'inbound', authorRole: 'customer', channel: 'widget', content: 'Hi, I need some help.', deliveryStatus: 'received' })
    .returning();
  await h.db
    .insert(messages)
    .values({ tenantId, conversationId: milaConv.id, direction: 'inbound', authorRole: 'customer', channel: 'widget', content: 'Mila here, mila.jansen@example.com', deliveryStatus: 'received' });

  let ordinal = 0;
  /** A tool call the agent proposed in this conversation, as the agent activity stores it. */
  const propose = async (name: string, args: Record<string, unknown>, opts: { needsApproval?: boolean } = {}) => {
    const n = ordinal++;
    const [call] = await h.db
      .insert(toolCalls)
      .values({
        tenantId,
        conversationId: conv.id,
        messageId: inbound.id,
        round: 0,
        ordinal: n,
        providerCallId: `call_${n}`,
        name,
        arguments: args,
        status: opts.needsApproval ? 'awaiting_approval' : 'pending',
        needsApproval: opts.needsApproval ?? false,
        reason: opts.needsApproval ? 'needs a teammate' : null,
      })
      .returning();
    return call;
  };
  const run = (callId: string, approvedBy: string | null = null) => tools.executeToolCall({ tenantId, conversationId: conv.id, callId, approvedBy });
  const callRow = async (id: string) => (await h.db.select().from(toolCalls).where(eq(toolCalls.id, id)))[0];
  const contact = async (id: string) => (await h.db.select().from(contacts).where(eq(contacts.id, id)))[0];
  return { ws, tenantId, sam, mila, conv, milaConv, inbound, propose, run, callRow, contact };
}

type Workspace = Awaited<ReturnType<typeof workspace>>;

/** A sales pipeline with a lead for each of the given contacts, all in 'New'. */
async function pipeline(w: Workspace, leadFor: string[]) {
  const [p] = await h.db.insert(pipelines).values({ tenantId: w.tenantId, name: 'Sales' }).returning();
  const stages = await h.db
    .insert(pipelineStages)
    .values([
      { tenantId: w.tenantId, pipelineId: p.id, name: 'New', position: 0, kind: 'open' as const },
      { tenantId: w.tenantId, pipelineId: p.id, name: 'Qualified', position: 1, kind: 'open' as const },
      { tenantId: w.tenantId, pipelineId: p.id, name: '100% sure', position: 2, kind: 'open' as const },
      { tenantId: w.tenantId, pipelineId: p.id, name: 'Won', position: 3, kind: 'won' as const },
      { tenantId: w.tenantId, pipelineId: p.id, name: 'Lost', position: 4, kind: 'lost' as const },
    ])
    .returning();
  const stage = (name: string) => stages.find((s) => s.name === name)!;
  const made = leadFor.length
    ? await h.db
        .insert(leads)
        .values(leadFor.map((contactId) => ({ tenantId: w.tenantId, pipelineId: p.id, stageId: stage('New').id, contactId, title: 'Winter collection order' })))
        .returning()
    : [];
  return { pipeline: p, stage, leads: made };
}

const notApproved = { type: 'NotApproved', nonRetryable: true };

describe('create_ticket', () => {
  it("files one ticket for the conversation's own contact, however often the activity runs", async () => {
    const w = await workspace('ticket');
    const call = await w.propose('create_ticket', { subject: 'Jacket arrived torn', description: 'Left sleeve seam is open.', priority: 'high' });

    const first = await w.run(call.id);
    const again = await w.run(call.id);
    expect(first).toEqual({ status: 'succeeded' });
    expect(again).toEqual(first);

    const filed = await h.db.select().from(tickets).where(eq(tickets.tenantId, w.tenantId));
    expect(filed).toEqual([
      expect.objectContaining({ contactId: w.sam.id, conversationId: w.conv.id, subject: 'Jacket arrived torn', description: 'Left sleeve seam is open.', priority: 'high', source: 'ai', status: 'new' }),
    ]);
    const done = await w.callRow(call.id);
    expect(done.status).toBe('succeeded');
    expect(done.completedAt).not.toBeNull();
    expect(done.result).toMatchObject({ ok: true, message: expect.stringContaining('Ticket created'), data: { ticketId: filed[0].id } });
    expect(done.decidedBy).toBeNull();
  });

  it('runs once when two attempts race, and falls back to normal priority for an unknown one', async () => {
    const w = await workspace('ticket-race');
    const call = await w.propose('create_ticket', { subject: 'Where is my parcel', priority: 'whenever' });
    const results = await Promise.all([w.run(call.id), w.run(call.id), w.run(call.id)]);
    expect(results).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'succeeded' }]);
    const filed = await h.db.select().from(tickets).where(eq(tickets.tenantId, w.tenantId));
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ contactId: w.sam.id, priority: 'normal', description: '' });
    expect(await h.db.select().from(tickets).where(eq(tickets.contactId, w.mila.id))).toEqual([]);
  });
});

describe('add_tag', () => {
  it("tags only Sam, keeps his tags, and never duplicates a tag", async () => {
    const w = await workspace('tag');
    const call = await w.propose('add_tag', { tag: 'returning customer' });
    expect(await w.run(call.id)).toEqual({ status: 'succeeded' });
    expect(await w.run(call.id)).toEqual({ status: 'succeeded' });
    // A second call with the same tag, and one with a tag he already had.
    expect(await w.run((await w.propose('add_tag', { tag: 'returning customer' })).id)).toEqual({ status: 'succeeded' });
    expect(await w.run((await w.propose('add_tag', { tag: 'vip' })).id)).toEqual({ status: 'succeeded' });

    const sam = await w.contact(w.sam.id);
    expect([...sam.tags].sort()).toEqual(['returning customer', 'vip']);
    expect((await w.contact(w.mila.id)).tags).toEqual(['newsletter']);
    expect(await w.callRow(call.id)).toMatchObject({ status: 'succeeded', result: { ok: true, message: "Tagged the contact 'returning customer'." } });
  });

  it('keeps both tags when two calls tag the contact at the same time', async () => {
    const w = await workspace('tag-race');
    const a = await w.propose('add_tag', { tag: 'wholesale' });
    const b = await w.propose('add_tag', { tag: 'berlin' });
    const results = await Promise.all([w.run(a.id), w.run(b.id), w.run(a.id), w.run(b.id)]);
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect([...(await w.contact(w.sam.id)).tags].sort()).toEqual(['berlin', 'vip', 'wholesale']);
  });
});

describe('update_contact', () => {
  it("changes Sam's own details, keeps his other attributes, and leaves Mila alone", async () => {
    const w = await workspace('update');
    const call = await w.propose('update_contact', { name: 'Sam van Dijk', language: 'nl' });
    expect(await w.run(call.id)).toEqual({ status: 'succeeded' });
    const sam = await w.contact(w.sam.id);
    expect(sam).toMatchObject({ name: 'Sam van Dijk', email: 'sam@example.com', phone: '+31 6 1234 5678', attributes: { plan: 'gold', language: 'nl' } });
    expect(await w.callRow(call.id)).toMatchObject({ status: 'succeeded', result: { ok: true, message: 'The contact details are updated.', data: { updated: ['name', 'language'] } } });
    expect(await w.contact(w.mila.id)).toMatchObject({ name: 'Mila Jansen', email: 'mila.jansen@example.com', attributes: { plan: 'basic' } });
  });

  it('changes an email only once a teammate approved it, and records who did', async () => {
    const w = await workspace('update-approval');
    const call = await w.propose('update_contact', { email: 'sam.devries@example.com', phone: '+31 6 5555 4444' }, { needsApproval: true });

    await expect(w.run(call.id)).rejects.toMatchObject(notApproved);
    expect(await w.contact(w.sam.id)).toMatchObject({ email: 'sam@example.com', phone: '+31 6 1234 5678' });
    expect(await w.callRow(call.id)).toMatchObject({ status: 'awaiting_approval', result: null, completedAt: null, decidedBy: null });

    expect(await w.run(call.id, w.ws.user.id)).toEqual({ status: 'succeeded' });
    expect(await w.contact(w.sam.id)).toMatchObject({ email: 'sam.devries@example.com', phone: '+31 6 5555 4444' });
    const done = await w.callRow(call.id);
    expect(done).toMatchObject({ status: 'succeeded', decidedBy: w.ws.user.id });
    expect(done.decidedAt).not.toBeNull();
    expect(await w.contact(w.mila.id)).toMatchObject({ email: 'mila.jansen@example.com', phone: '+31 6 9999 0000' });
  });
});

describe('update_lead_stage', () => {
  it("moves Sam's lead once, by stage name in any case, and records the move with the call", async () => {
    const w = await workspace('lead');
    const { stage, leads: [samLead, milaLead] } = await pipeline(w, [w.sam.id, w.mila.id]);
    const call = await w.propose('update_lead_stage', { stage: 'qualified' });

    const results = await Promise.all([w.run(call.id), w.run(call.id)]);
    expect(results).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect(await w.run(call.id)).toEqual({ status: 'succeeded' });

    const [moved] = await h.db.select().from(leads).where(eq(leads.id, samLead.id));
    expect(moved.stageId).toBe(stage('Qualified').id);
    const [untouched] = await h.db.select().from(leads).where(eq(leads.id, milaLead.id));
    expect(untouched.stageId).toBe(stage('New').id);
    expect(await h.db.select().from(leadStageChanges).where(eq(leadStageChanges.tenantId, w.tenantId))).toEqual([
      expect.objectContaining({ leadId: samLead.id, fromStageId: stage('New').id, toStageId: stage('Qualified').id, toolCallId: call.id, actorUserId: null }),
    ]);
    expect(await w.callRow(call.id)).toMatchObject({ status: 'succeeded', result: { ok: true, message: "The lead moved to 'Qualified'.", data: { leadId: samLead.id, stage: 'Qualified' } } });

    // Already there: nothing to record.
    const same = await w.propose('update_lead_stage', { stage: 'Qualified' });
    expect(await w.run(same.id)).toEqual({ status: 'succeeded' });
    expect(await w.callRow(same.id)).toMatchObject({ result: { ok: true, message: "The lead is already in 'Qualified'." } });
    expect(await h.db.select().from(leadStageChanges).where(eq(leadStageChanges.tenantId, w.tenantId))).toHaveLength(1);
  });

  it('fails on a stage the pipeline does not have, naming the ones it has; a wildcard matches nothing', async () => {
    const w = await workspace('lead-unknown');
    const { stage, leads: [samLead] } = await pipeline(w, [w.sam.id]);
    const call = await w.propose('update_lead_stage', { stage: 'Negotiation' });
    expect(await w.run(call.id)).toEqual({ status: 'failed' });
    const done = await w.callRow(call.id);
    expect(done.status).toBe('failed');
    const message = (done.result as { ok: boolean; message: string }).message;
    expect(done.result).toMatchObject({ ok: false });
    expect(message).toContain("No stage 'Negotiation'");
    for (const name of ['New', 'Qualified', '100% sure', 'Won', 'Lost']) expect(message).toContain(name);

    // "%" is a pattern character to ILIKE, not a stage: it must not move the lead to whichever stage comes first.
    const wildcard = await w.propose('update_lead_stage', { stage: '%' });
    expect(await w.run(wildcard.id)).toEqual({ status: 'failed' });
    const literal = await w.propose('update_lead_stage', { stage: '100% SURE' });
    expect(await w.run(literal.id)).toEqual({ status: 'succeeded' });

    const [lead] = await h.db.select().from(leads).where(eq(leads.id, samLead.id));
    expect(lead.stageId).toBe(stage('100% sure').id);
    expect(await h.db.select().from(leadStageChanges).where(eq(leadStageChanges.leadId, samLead.id))).toHaveLength(1);
  });

  it("fails for a contact without a lead, even when another contact has one", async () => {
    const w = await workspace('lead-none');
    const { stage, leads: [milaLead] } = await pipeline(w, [w.mila.id]);
    const call = await w.propose('update_lead_stage', { stage: 'Won' });
    expect(await w.run(call.id)).toEqual({ status: 'failed' });
    expect(await w.callRow(call.id)).toMatchObject({ status: 'failed', result: { ok: false, message: 'This customer has no open sales lead.' } });
    const [lead] = await h.db.select().from(leads).where(eq(leads.id, milaLead.id));
    expect(lead.stageId).toBe(stage('New').id);
    expect(await h.db.select().from(leadStageChanges).where(eq(leadStageChanges.tenantId, w.tenantId))).toEqual([]);
  });
});

describe('update_lead_stage on closed deals', () => {
  it('leaves a won lead alone: only open deals are the agent’s to move', async () => {
    const w = await workspace('lead-won');
    const { stage, leads: [samLead] } = await pipeline(w, [w.sam.id]);
    await h.db.update(leads).set({ stageId: stage('Won').id }).where(eq(leads.id, samLead.id));
    const call = await w.propose('update_lead_stage', { stage: 'New' });
    expect(await w.run(call.id)).toEqual({ status: 'failed' });
    const [lead] = await h.db.select().from(leads).where(eq(leads.id, samLead.id));
    expect(lead.stageId).toBe(stage('Won').id);
  });
});

describe('schedule_follow_up', () => {
  const HOURS = 2;

  it('schedules one follow-up about inHours ahead and hands it to the workflow, once', async () => {
    const w = await workspace('followup');
    const call = await w.propose('schedule_follow_up', { inHours: HOURS, note: 'Did your jacket arrive?' });
    const before = Date.now();
    const [a, b] = await Promise.all([w.run(call.id), w.run(call.id)]);
    const after = Date.now();
    expect(a.status).toBe('succeeded');
    expect(a.followUp).toEqual({ id: expect.any(String), dueAt: expect.any(String) });
    expect(b).toEqual(a);
    // Sequential retry: the same follow-up, from the stored result.
    expect(await w.run(call.id)).toEqual(a);

    const due = Date.parse(a.followUp!.dueAt);
    expect(due).toBeGreaterThanOrEqual(before + HOURS * 3_600_000 - 1_000);
    expect(due).toBeLessThanOrEqual(after + HOURS * 3_600_000 + 1_000);

    const rows = await h.db.select().from(followUps).where(eq(followUps.tenantId, w.tenantId));
    expect(rows).toEqual([expect.objectContaining({ id: a.followUp!.id, conversationId: w.conv.id, toolCallId: call.id, note: 'Did your jacket arrive?', status: 'scheduled', messageId: null })]);
    expect(await w.callRow(call.id)).toMatchObject({ status: 'succeeded', result: { ok: true, effects: { followUp: a.followUp } } });
  });

  it("writes the due follow-up once, as a queued AI message, through the tenant's output guardrails", async () => {
    const w = await workspace('followup-write');
    const cfg = await h.call(
      'POST',
      '/v1/agent/versions',
      { name: 'Ava', guardrails: [{ id: 'g', stage: 'output', kind: 'keyword', keywords: ['secretword'], action: 'redact' }] },
      w.ws.accessToken,
    );
    expect(cfg.status).toBe(201);
    expect((await h.call('POST', `/v1/agent/versions/${cfg.body.version}/activate`, {}, w.ws.accessToken)).status).toBe(200);

    const call = await w.propose('schedule_follow_up', { inHours: 1, note: 'Your pickup code is secretword, see you soon!' });
    const { followUp } = await w.run(call.id);
    const input = { tenantId: w.tenantId, conversationId: w.conv.id, followUpId: followUp!.id };

    const messageId = randomUUID();
    expect(await tools.writeFollowUp({ ...input, messageId })).toEqual({ messageId });
    // A retry (or a replay with another id) finds it written.
    expect(await tools.writeFollowUp({ ...input, messageId: randomUUID() })).toEqual({ messageId });

    const written = await h.db.select().from(messages).where(and(eq(messages.conversationId, w.conv.id), eq(messages.authorRole, 'ai')));
    expect(written).toEqual([
      expect.objectContaining({ id: messageId, direction: 'outbound', channel: 'widget', deliveryStatus: 'queued', attributes: { route: 'follow_up', followUpId: followUp!.id } }),
    ]);
    expect(written[0].content).toContain('[redacted]');
    expect(written[0].content).not.toContain('secretword');
    expect(written[0].content).toContain('see you soon');
    const [row] = await h.db.select().from(followUps).where(eq(followUps.id, followUp!.id));
    expect(row).toMatchObject({ status: 'sent', messageId });
    expect(await h.db.select().from(messages).where(eq(messages.conversationId, w.milaConv.id))).toHaveLength(1);
  });

  it('writes the follow-up once when two attempts race', async () => {
    const w = await workspace('followup-race');
    const { followUp } = await w.run((await w.propose('schedule_follow_up', { inHours: 1, note: 'Checking in on your order.' })).id);
    const input = { tenantId: w.tenantId, conversationId: w.conv.id, followUpId: followUp!.id };
    const [a, b] = await Promise.all([tools.writeFollowUp({ ...input, messageId: randomUUID() }), tools.writeFollowUp({ ...input, messageId: randomUUID() })]);
    expect(a.messageId).not.toBeNull();
    expect(b).toEqual(a);
    const written = await h.db.select().from(messages).where(and(eq(messages.conversationId, w.conv.id), eq(messages.authorRole, 'ai')));
    expect(written.map((m) => m.id)).toEqual([a.messageId]);
    // Without a configured agent the default config applies: the note goes out as written.
    expect(written[0].content).toBe('Checking in on your order.');
  });

  it('sends nothing for a cancelled follow-up, and cancelling a sent one changes nothing', async () => {
    const w = await workspace('followup-cancel');
    const { followUp: cancelled } = await w.run((await w.propose('schedule_follow_up', { inHours: 3, note: 'Any news?' })).id);
    const { followUp: sent } = await w.run((await w.propose('schedule_follow_up', { inHours: 1, note: 'Parcel should be there.' })).id);
    const sentMessage = randomUUID();
    expect(await tools.writeFollowUp({ tenantId: w.tenantId, conversationId: w.conv.id, followUpId: sent!.id, messageId: sentMessage })).toEqual({ messageId: sentMessage });

    await tools.cancelFollowUps({ tenantId: w.tenantId, ids: [cancelled!.id, sent!.id] });
    const rows = await h.db.select().from(followUps).where(inArray(followUps.id, [cancelled!.id, sent!.id]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [cancelled!.id]: 'cancelled', [sent!.id]: 'sent' });

    expect(await tools.writeFollowUp({ tenantId: w.tenantId, conversationId: w.conv.id, followUpId: cancelled!.id, messageId: randomUUID() })).toEqual({ messageId: null });
    const written = await h.db.select().from(messages).where(and(eq(messages.conversationId, w.conv.id), eq(messages.authorRole, 'ai')));
    expect(written.map((m) => m.id)).toEqual([sentMessage]);
    expect((await h.db.select().from(followUps).where(eq(followUps.id, cancelled!.id)))[0]).toMatchObject({ status: 'cancelled', messageId: null });
  });

  it("cannot cancel or write another workspace's follow-up", async () => {
    const w = await workspace('followup-owner');
    const other = await workspace('followup-intruder');
    const { followUp } = await w.run((await w.propose('schedule_follow_up', { inHours: 1, note: 'Hello again.' })).id);
    await tools.cancelFollowUps({ tenantId: other.tenantId, ids: [followUp!.id] });
    await expect(tools.writeFollowUp({ tenantId: other.tenantId, conversationId: w.conv.id, followUpId: followUp!.id, messageId: randomUUID() })).resolves.toEqual({ messageId: null });
    expect((await h.db.select().from(followUps).where(eq(followUps.id, followUp!.id)))[0]).toMatchObject({ status: 'scheduled', messageId: null });
  });
});

describe('handoff', () => {
  it("routes this conversation to the team and asks the workflow to hand off, once", async () => {
    const w = await workspace('handoff');
    const call = await w.propose('handoff', { reason: 'Customer asks for a person', team: 'billing' });
    expect(await w.run(call.id)).toEqual({ status: 'succeeded', handoff: true });
    expect(await w.run(call.id)).toEqual({ status: 'succeeded', handoff: true });
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, w.conv.id));
    // The workflow changes the owner; the tool only routes.
    expect(conv).toMatchObject({ team: 'billing', owner: 'ai' });
    const [milaConv] = await h.db.select().from(conversations).where(eq(conversations.id, w.milaConv.id));
    expect(milaConv.team).toBeNull();
    expect(await w.callRow(call.id)).toMatchObject({ status: 'succeeded', result: { ok: true, message: 'A teammate will take over the conversation.', effects: { handoff: true } } });
  });

  it('keeps the team as it was when none is given', async () => {
    const w = await workspace('handoff-noteam');
    await h.db.update(conversations).set({ team: 'care' }).where(eq(conversations.id, w.conv.id));
    expect(await w.run((await w.propose('handoff', {})).id)).toEqual({ status: 'succeeded', handoff: true });
    expect((await h.db.select().from(conversations).where(eq(conversations.id, w.conv.id)))[0].team).toBe('care');
  });
});

describe('issue_refund without a shop endpoint', () => {
  it('waits for approval, then records one requested refund for Sam', async () => {
    const w = await workspace('refund');
    const call = await w.propose('issue_refund', { orderNumber: 'NW-5521', amount: 19.99, currency: 'EUR', reason: 'arrived broken' }, { needsApproval: true });

    await expect(w.run(call.id)).rejects.toMatchObject(notApproved);
    await expect(w.run(call.id, null)).rejects.toMatchObject(notApproved);
    expect(await h.db.select().from(refunds).where(eq(refunds.tenantId, w.tenantId))).toEqual([]);
    expect(await w.callRow(call.id)).toMatchObject({ status: 'awaiting_approval', completedAt: null });

    const results = await Promise.all([w.run(call.id, w.ws.user.id), w.run(call.id, w.ws.user.id)]);
    expect(results).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect(await w.run(call.id, w.ws.user.id)).toEqual({ status: 'succeeded' });

    expect(await h.db.select().from(refunds).where(eq(refunds.tenantId, w.tenantId))).toEqual([
      expect.objectContaining({ contactId: w.sam.id, conversationId: w.conv.id, toolCallId: call.id, orderNumber: 'NW-5521', amountCents: 1999, currency: 'EUR', reason: 'arrived broken', status: 'requested', externalRef: null }),
    ]);
    const done = await w.callRow(call.id);
    expect(done).toMatchObject({ status: 'succeeded', decidedBy: w.ws.user.id, result: { ok: true, message: expect.stringContaining('shop team will carry it out'), data: { amount: 19.99, currency: 'EUR' } } });
    expect(done.decidedAt).not.toBeNull();
  });

  it('never issues a refund a teammate rejected, even if the activity runs afterwards', async () => {
    const w = await workspace('refund-rejected');
    const call = await w.propose('issue_refund', { orderNumber: 'NW-7000', amount: 50, currency: 'EUR' }, { needsApproval: true });
    await tools.finishToolCall({ tenantId: w.tenantId, callId: call.id, status: 'rejected', userId: w.ws.user.id, reason: 'A teammate declined this action.' });
    expect(await w.run(call.id, w.ws.user.id)).toEqual({ status: 'rejected' });
    expect(await h.db.select().from(refunds).where(eq(refunds.toolCallId, call.id))).toEqual([]);
    expect(await w.callRow(call.id)).toMatchObject({ status: 'rejected', reason: 'A teammate declined this action.', decidedBy: w.ws.user.id, result: { ok: false } });
  });
});

describe('merge_contacts', () => {
  it("folds Sam's duplicates (same email in another case, same phone written differently) into him", async () => {
    const w = await workspace('merge');
    const [byEmail] = await h.db
      .insert(contacts)
      .values({ tenantId: w.tenantId, email: 'SAM@Example.COM', tags: ['returning'], attributes: { city: 'Utrecht', plan: 'silver' } })
      .returning();
    const [byPhone] = await h.db.insert(contacts).values({ tenantId: w.tenantId, name: 'S. de Vries', phone: '+31 (6) 12-34-56-78' }).returning();
    const [emailConv] = await h.db.insert(conversations).values({ tenantId: w.tenantId, contactId: byEmail.id, channel: 'email' }).returning();
    const [phoneConv] = await h.db.insert(conversations).values({ tenantId: w.tenantId, contactId: byPhone.id, channel: 'whatsapp' }).returning();
    const [ticket] = await h.db.insert(tickets).values({ tenantId: w.tenantId, contactId: byEmail.id, conversationId: emailConv.id, subject: 'Old issue', source: 'manual' }).returning();
    await h.db.insert(contactIdentities).values([
      { tenantId: w.tenantId, contactId: byEmail.id, channel: 'email', externalId: 'sam@example.com' },
      { tenantId: w.tenantId, contactId: byPhone.id, channel: 'whatsapp', externalId: '+31612345678' },
      { tenantId: w.tenantId, contactId: w.mila.id, channel: 'email', externalId: 'mila.jansen@example.com' },
    ]);
    // The same customer in another workspace is another shop's customer.
    const elsewhere = await workspace('merge-elsewhere');

    const call = await w.propose('merge_contacts', { reason: 'same person' }, { needsApproval: true });
    await expect(w.run(call.id)).rejects.toMatchObject(notApproved);
    expect((await w.contact(byEmail.id)).mergedInto).toBeNull();
    expect((await h.db.select().from(conversations).where(eq(conversations.id, emailConv.id)))[0].contactId).toBe(byEmail.id);

    const [a, b] = await Promise.all([w.run(call.id, w.ws.user.id), w.run(call.id, w.ws.user.id)]);
    expect(a).toEqual({ status: 'succeeded' });
    expect(b).toEqual(a);
    expect(await w.callRow(call.id)).toMatchObject({ status: 'succeeded', decidedBy: w.ws.user.id, result: { ok: true, data: { merged: 2 } } });

    expect((await w.contact(byEmail.id)).mergedInto).toBe(w.sam.id);
    expect((await w.contact(byPhone.id)).mergedInto).toBe(w.sam.id);
    const convs = await h.db.select().from(conversations).where(inArray(conversations.id, [emailConv.id, phoneConv.id]));
    expect(convs.map((c) => c.contactId)).toEqual([w.sam.id, w.sam.id]);
    expect((await h.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0].contactId).toBe(w.sam.id);
    const identities = await h.db.select().from(contactIdentities).where(eq(contactIdentities.tenantId, w.tenantId));
    expect(Object.fromEntries(identities.map((i) => [i.externalId, i.contactId]))).toEqual({
      'sam@example.com': w.sam.id,
      '+31612345678': w.sam.id,
      'mila.jansen@example.com': w.mila.id,
    });
    const sam = await w.contact(w.sam.id);
    expect([...sam.tags].sort()).toEqual(['returning', 'vip']);
    // Sam's own values win over a duplicate's.
    expect(sam).toMatchObject({ name: 'Sam de Vries', email: 'sam@example.com', attributes: { plan: 'gold', city: 'Utrecht' }, mergedInto: null });

    // Mila has another email and phone: untouched.
    expect(await w.contact(w.mila.id)).toMatchObject({ mergedInto: null, tags: ['newsletter'], attributes: { plan: 'basic' } });
    expect((await h.db.select().from(conversations).where(eq(conversations.id, w.milaConv.id)))[0].contactId).toBe(w.mila.id);
    expect(await elsewhere.contact(elsewhere.sam.id)).toMatchObject({ mergedInto: null, email: 'sam@example.com' });

    // Nothing left to merge.
    const again = await w.propose('merge_contacts', {}, { needsApproval: true });
    expect(await w.run(again.id, w.ws.user.id)).toEqual({ status: 'succeeded' });
    expect(await w.callRow(again.id)).toMatchObject({ result: { ok: true, message: 'No duplicates found.', data: { merged: 0 } } });
  });

  it('merges duplicates that share stock alerts and campaigns with Sam or with each other', async () => {
    const w = await workspace('merge-collide');
    const dupes = await h.db
      .insert(contacts)
      .values([
        { tenantId: w.tenantId, email: 'Sam@example.com' },
        { tenantId: w.tenantId, phone: '+31-6-1234-5678' },
      ])
      .returning();
    const [camp] = await h.db.insert(campaigns).values({ tenantId: w.tenantId, name: 'Winter jackets', channel: 'widget', status: 'sent' }).returning();
    const [spring] = await h.db.insert(campaigns).values({ tenantId: w.tenantId, name: 'Spring sale', channel: 'widget', status: 'sent' }).returning();
    await h.db.insert(campaignRecipients).values([
      { tenantId: w.tenantId, campaignId: camp.id, contactId: w.sam.id },
      { tenantId: w.tenantId, campaignId: camp.id, contactId: dupes[0].id },
      // Both duplicates, but not Sam, got the spring sale.
      { tenantId: w.tenantId, campaignId: spring.id, contactId: dupes[0].id, response: 'interested' },
      { tenantId: w.tenantId, campaignId: spring.id, contactId: dupes[1].id },
    ]);
    const alert = (contactId: string, product: string) => ({ tenantId: w.tenantId, contactId, channel: 'widget', product, productKey: product.toLowerCase() });
    await h.db.insert(stockSubscriptions).values([
      alert(w.sam.id, 'Blue rain jacket size M'),
      alert(dupes[0].id, 'Blue rain jacket size M'),
      alert(dupes[0].id, 'Wool scarf'),
      alert(dupes[1].id, 'Wool scarf'),
      alert(dupes[1].id, 'Leather boots'),
    ]);

    const call = await w.propose('merge_contacts', {}, { needsApproval: true });
    expect(await w.run(call.id, w.ws.user.id)).toEqual({ status: 'succeeded' });
    expect(await w.callRow(call.id)).toMatchObject({ result: { data: { merged: 2 } } });

    const recipients = await h.db.select().from(campaignRecipients).where(eq(campaignRecipients.tenantId, w.tenantId));
    expect(recipients.map((r) => [r.campaignId, r.contactId]).sort()).toEqual([[camp.id, w.sam.id], [spring.id, w.sam.id]].sort());
    // Of the two duplicates' rows for the spring sale, the answered one is kept.
    expect(recipients.find((r) => r.campaignId === spring.id)?.response).toBe('interested');
    const subs = await h.db.select().from(stockSubscriptions).where(eq(stockSubscriptions.tenantId, w.tenantId));
    expect(subs.every((s) => s.contactId === w.sam.id)).toBe(true);
    expect(subs.map((s) => s.productKey).sort()).toEqual(['blue rain jacket size m', 'leather boots', 'wool scarf']);
  });
});

describe('export_contacts', () => {
  it("returns Sam's own data with counts of his conversations and messages, nothing of Mila's", async () => {
    const w = await workspace('export');
    const [second] = await h.db.insert(conversations).values({ tenantId: w.tenantId, contactId: w.sam.id, channel: 'email' }).returning();
    await h.db.insert(messages).values([
      { tenantId: w.tenantId, conversationId: w.conv.id, direction: 'outbound', authorRole: 'ai', channel: 'widget', content: 'Happy to help.', deliveryStatus: 'sent' },
      { tenantId: w.tenantId, conversationId: second.id, direction: 'inbound', authorRole: 'customer', channel: 'email', content: 'Another question', deliveryStatus: 'received' },
    ]);
    // Mila's extra conversation and messages count for her, not Sam.
    await h.db.insert(messages).values({ tenantId: w.tenantId, conversationId: w.milaConv.id, direction: 'outbound', authorRole: 'ai', channel: 'widget', content: 'Hi Mila', deliveryStatus: 'sent' });
    await h.db.insert(conversations).values({ tenantId: w.tenantId, contactId: w.mila.id, channel: 'email' });

    const call = await w.propose('export_contacts', { reason: 'GDPR request' }, { needsApproval: true });
    await expect(w.run(call.id)).rejects.toMatchObject(notApproved);
    expect((await w.callRow(call.id)).result).toBeNull();

    expect(await w.run(call.id, w.ws.user.id)).toEqual({ status: 'succeeded' });
    const done = await w.callRow(call.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      decidedBy: w.ws.user.id,
      result: {
        ok: true,
        message: "The customer's own data export is ready.",
        data: { name: 'Sam de Vries', email: 'sam@example.com', phone: '+31 6 1234 5678', tags: ['vip'], attributes: { plan: 'gold' }, conversations: 2, messages: 3, createdAt: w.sam.createdAt.toISOString() },
      },
    });
    const text = JSON.stringify(done.result);
    expect(text).not.toContain('mila');
    expect(text).not.toContain('Mila');
  });
});

describe('finishing and finding calls', () => {
  it('finishToolCall on a call that already ran changes nothing', async () => {
    const w = await workspace('finish');
    const call = await w.propose('add_tag', { tag: 'done' });
    await w.run(call.id);
    const before = await w.callRow(call.id);
    await tools.finishToolCall({ tenantId: w.tenantId, callId: call.id, status: 'failed', userId: w.ws.user.id, reason: 'The tool kept failing; try again later.' });
    await tools.finishToolCall({ tenantId: w.tenantId, callId: call.id, status: 'expired', userId: null, reason: 'No teammate approved it in time.' });
    expect(await w.callRow(call.id)).toEqual(before);
    expect(before).toMatchObject({ status: 'succeeded', reason: null, decidedBy: null });
  });

  it('expires a pending approval without a decider, and the expired call never runs', async () => {
    const w = await workspace('finish-expire');
    const call = await w.propose('merge_contacts', {}, { needsApproval: true });
    await h.db.insert(contacts).values({ tenantId: w.tenantId, email: 'sam@EXAMPLE.com' });
    await tools.finishToolCall({ tenantId: w.tenantId, callId: call.id, status: 'expired', userId: null, reason: 'No teammate approved it in time.' });
    const done = await w.callRow(call.id);
    expect(done).toMatchObject({ status: 'expired', decidedBy: null, reason: 'No teammate approved it in time.', result: { ok: false, message: 'No teammate approved it in time.' } });
    expect(done.completedAt).not.toBeNull();
    expect(await w.run(call.id, w.ws.user.id)).toEqual({ status: 'expired' });
    const dupes = await h.db.select().from(contacts).where(and(eq(contacts.tenantId, w.tenantId), eq(contacts.email, 'sam@EXAMPLE.com')));
    expect(dupes[0].mergedInto).toBeNull();
  });

  it("refuses a call id from another conversation or another workspace", async () => {
    const w = await workspace('notfound');
    const other = await workspace('notfound-other');
    const call = await w.propose('create_ticket', { subject: 'Help' });
    await expect(tools.executeToolCall({ tenantId: w.tenantId, conversationId: w.milaConv.id, callId: call.id, approvedBy: null })).rejects.toMatchObject({ type: 'NotFound', nonRetryable: true });
    await expect(tools.executeToolCall({ tenantId: other.tenantId, conversationId: w.conv.id, callId: call.id, approvedBy: null })).rejects.toMatchObject({ type: 'NotFound', nonRetryable: true });
    expect(await h.db.select().from(tickets).where(inArray(tickets.tenantId, [w.tenantId, other.tenantId]))).toEqual([]);
    expect((await w.callRow(call.id)).status).toBe('pending');
  });
});
