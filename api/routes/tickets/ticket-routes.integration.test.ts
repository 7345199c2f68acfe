import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { parseMasterKey } from '../../../db/credential-crypto.js';
import { contacts, conversations, messages, tickets, toolCalls } from '../../../db/schema/index.js';
import { createToolActivities } from '../../../activities/ai/tools/tool.activities.js';
import { ticketWorkflowId } from '../../../temporal/contracts.js';
import { eventually, startHarness, TEST_CREDENTIALS_KEY, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function agentOf(ownerToken: string) {
  const inv = await h.call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, ownerToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ann Agent', password: 'a long password' });
  return joined.body.accessToken as string;
}

describe('tickets', () => {
  it('goes through its lifecycle, validating and recording every transition', async () => {
    const ws = await h.signup('tickets');
    const made = await h.call('POST', '/v1/tickets', { subject: 'Broken zipper', priority: 'high', tags: ['returns', 'returns'] }, ws.accessToken);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.ticket).toMatchObject({ status: 'new', priority: 'high', tags: ['returns'], source: 'manual' });
    const id = made.body.ticket.id as string;
    const move = (status: string) => h.call('POST', `/v1/tickets/${id}/status`, { status }, ws.accessToken);

    const opened = await move('open');
    expect(opened.body.ticket.sla.firstRespondedAt).not.toBeNull();
    for (const s of ['pending', 'open', 'resolved']) expect((await move(s)).status, s).toBe(200);
    const reopened = await move('open');
    expect(reopened.body.ticket.sla.resolvedAt).toBeNull();
    expect((await move('resolved')).status).toBe(200);
    expect((await move('closed')).status).toBe(200);
    const refused = await move('open');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/closed is final/);

    const detail = await h.call('GET', `/v1/tickets/${id}`, undefined, ws.accessToken);
    const moves = detail.body.events.filter((e: { kind: string }) => e.kind === 'status_changed').map((e: { from: string; to: string }) => `${e.from}>${e.to}`);
    expect(moves).toEqual(['new>open', 'open>pending', 'pending>open', 'open>resolved', 'resolved>open', 'open>resolved', 'resolved>closed']);
    expect(detail.body.events[0]).toMatchObject({ kind: 'created', actorUserId: ws.user.id });
    expect(detail.body.transitions).toEqual([]);

    const second = await h.call('POST', '/v1/tickets', { subject: 'Where is my order' }, ws.accessToken);
    const skip = await h.call('POST', `/v1/tickets/${second.body.ticket.id}/status`, { status: 'new' }, ws.accessToken);
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toMatch(/can become open, pending, resolved, closed/);
    const changed = await h.call('PATCH', `/v1/tickets/${second.body.ticket.id}`, { priority: 'urgent', assigneeId: ws.user.id }, ws.accessToken);
    expect(changed.body.ticket).toMatchObject({ priority: 'urgent', assigneeId: ws.user.id });
    const list = await h.call('GET', '/v1/tickets?priority=urgent', undefined, ws.accessToken);
    expect(list.body.tickets.map((t: { id: string }) => t.id)).toEqual([second.body.ticket.id]);
  });

  it('keeps SLA policies per priority, and refuses bad input, other workspaces and roles', async () => {
    const ws = await h.signup('tickets-bad');
    const set = await h.call('PUT', '/v1/sla-policies', { policies: [{ priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240 }] }, ws.accessToken);
    expect(set.status).toBe(200);
    expect((await h.call('GET', '/v1/sla-policies', undefined, ws.accessToken)).body.policies).toEqual([{ priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240, warnBeforeMinutes: 15, businessHours: true }]);
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const r = await h.call(method, path, body, ws.accessToken);
      expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad('POST', '/v1/tickets', { subject: '' }, 'subject');
    await bad('POST', '/v1/tickets', { subject: 'x', priority: 'critical' }, 'priority');
    await bad('POST', '/v1/tickets', { subject: 'x', contactId: randomUUID() }, 'contactId');
    await bad('POST', '/v1/tickets', { subject: 'x', assigneeId: randomUUID() }, 'assigneeId');
    await bad('PUT', '/v1/sla-policies', { policies: [{ priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 30 }] }, 'policies');
    await bad('PUT', '/v1/sla-policies', { policies: [{ priority: 'high', firstResponseMinutes: 0, resolutionMinutes: 30 }] }, 'policies.0.firstResponseMinutes');
    const t = await h.call('POST', '/v1/tickets', { subject: 'Mine' }, ws.accessToken);
    await bad('POST', `/v1/tickets/${t.body.ticket.id}/status`, { status: 'done' }, 'status');

    const other = await h.signup('tickets-other');
    for (const [method, path, body] of [
      ['GET', `/v1/tickets/${t.body.ticket.id}`, undefined],
      ['PATCH', `/v1/tickets/${t.body.ticket.id}`, { subject: 'theirs' }],
      ['POST', `/v1/tickets/${t.body.ticket.id}/status`, { status: 'open' }],
    ] as const) {
      expect((await h.call(method, path, body, other.accessToken)).status, `${method} ${path}`).toBe(404);
    }
    const agent = await agentOf(ws.accessToken);
    expect((await h.call('PUT', '/v1/sla-policies', { policies: [] }, agent)).status).toBe(403);
    expect((await h.call('POST', `/v1/tickets/${t.body.ticket.id}/status`, { status: 'open' }, agent)).status).toBe(200);
  });

  it('applies a macro: its reply, filled in, on the conversation, and its changes on the ticket', async () => {
    const ws = await h.signup('macros');
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Mia' });
    const said = await h.call('POST', '/v1/widget/messages', { content: 'My parcel is damaged', clientMessageId: randomUUID() }, v.sessionToken);
    const conversationId = said.body.conversationId as string;
    const t = await h.call('POST', '/v1/tickets', { subject: 'Damaged parcel', conversationId }, ws.accessToken);
    expect(t.body.ticket.contactId).toBe(v.contactId);
    const bad = await h.call('POST', '/v1/macros', { name: 'Oops', reply: 'Hi {{customer.name}}' }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('reply');
    const macro = await h.call('POST', '/v1/macros', { name: 'Ask for photos', reply: 'Hi {{contact.name}}, sorry about "{{ticket.subject}}". Could you send a photo? {{agent.name}}', actions: { status: 'pending', priority: 'high', addTags: ['damage'] } }, ws.accessToken);
    expect(macro.status).toBe(201);
    expect((await h.call('POST', '/v1/macros', { name: 'Ask for photos' }, ws.accessToken)).status).toBe(409);

    const applied = await h.call('POST', `/v1/tickets/${t.body.ticket.id}/apply-macro`, { macroId: macro.body.macro.id }, ws.accessToken);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.reply.text).toBe(`Hi Mia, sorry about "Damaged parcel". Could you send a photo? macros owner`);
    expect(applied.body.ticket).toMatchObject({ status: 'pending', priority: 'high', tags: ['damage'] });
    expect(applied.body.ticket.sla.firstRespondedAt).not.toBeNull();
    const thread = await h.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken);
    const reply = thread.body.messages.find((m: { id: string }) => m.id === applied.body.reply.messageId);
    expect(reply).toMatchObject({ authorRole: 'agent', content: applied.body.reply.text });
    const events = (await h.call('GET', `/v1/tickets/${t.body.ticket.id}`, undefined, ws.accessToken)).body.events.map((e: { kind: string }) => e.kind);
    expect(events).toEqual(expect.arrayContaining(['status_changed', 'priority_changed', 'tags_changed']));

    // A macro whose status change the ticket cannot take sends nothing.
    await h.call('POST', `/v1/tickets/${t.body.ticket.id}/status`, { status: 'closed' }, ws.accessToken);
    const reopenMacro = await h.call('POST', '/v1/macros', { name: 'Reopen', reply: 'Back on it', actions: { status: 'open' } }, ws.accessToken);
    const refused = await h.call('POST', `/v1/tickets/${t.body.ticket.id}/apply-macro`, { macroId: reopenMacro.body.macro.id }, ws.accessToken);
    expect(refused.status).toBe(409);
    const after = await h.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken);
    expect(after.body.messages.filter((m: { content: string }) => m.content === 'Back on it')).toHaveLength(0);
  });

  it('starts the SLA clock of a ticket the AI agent files, however often its tool call runs', async () => {
    const ws = await h.signup('tickets-ai');
    const tenantId = ws.tenant.id;
    await h.call('PUT', '/v1/sla-policies', { policies: [{ priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 480, businessHours: false }] }, ws.accessToken);
    const [sam] = await h.db.insert(contacts).values({ tenantId, name: 'Sam' }).returning();
    const [conv] = await h.db.insert(conversations).values({ tenantId, contactId: sam.id, channel: 'widget' }).returning();
    const [inbound] = await h.db
      .insert(messages)
      .values({ tenantId, conversationId: conv.id, direction: 'inbound', authorRole: 'customer', channel: 'widget', content: 'My jacket arrived torn', deliveryStatus: 'received' })
      .returning();
    const [call] = await h.db
      .insert(toolCalls)
      .values({ tenantId, conversationId: conv.id, messageId: inbound.id, round: 0, ordinal: 0, providerCallId: 'call_0', name: 'create_ticket', arguments: { subject: 'Torn jacket', priority: 'high' }, status: 'pending' })
      .returning();
    const tools = createToolActivities({ db: h.db, mongo: h.mongo, credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), allowPrivateNetworks: true, temporal: { client: h.temporal, taskQueue: h.taskQueue } });
    const run = () => tools.executeToolCall({ tenantId, conversationId: conv.id, callId: call.id, approvedBy: null });
    expect(await run()).toEqual({ status: 'succeeded' });
    // A retry after the ticket was committed (the first start may have been lost) starts nothing new.
    expect(await run()).toEqual({ status: 'succeeded' });

    const [ticket] = await h.db.select().from(tickets).where(eq(tickets.tenantId, tenantId));
    expect(ticket).toMatchObject({ source: 'ai', priority: 'high', conversationId: conv.id });
    const due = await eventually(async () => (await h.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0].firstResponseDueAt ?? undefined, 'the first-response due time');
    const filedAt = ticket.createdAt.getTime();
    expect(due.getTime() - filedAt).toBeGreaterThanOrEqual(59 * 60_000);
    expect(due.getTime() - filedAt).toBeLessThanOrEqual(61 * 60_000);
    expect((await h.temporal.workflow.getHandle(ticketWorkflowId(tenantId, ticket.id)).describe()).status.name).toBe('RUNNING');
  });

  it("reopens the conversation's resolved and pending tickets when the customer writes again, once per message", async () => {
    const ws = await h.signup('tickets-reply');
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Noor' });
    const say = (content: string) => h.call('POST', '/v1/widget/messages', { content, clientMessageId: randomUUID() }, v.sessionToken);
    const conversationId = (await say('The zipper broke')).body.conversationId as string;
    // The AI answered: that message was handled before any ticket exists.
    await eventually(async () => {
      const thread = await h.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken);
      return thread.body.messages.some((m: { authorRole: string }) => m.authorRole === 'ai');
    }, 'the AI reply to the first message');
    const ticket = async (subject: string, status: string) => {
      const t = await h.call('POST', '/v1/tickets', { subject, conversationId }, ws.accessToken);
      for (const s of status === 'resolved' ? ['open', 'resolved'] : ['open', 'pending']) await h.call('POST', `/v1/tickets/${t.body.ticket.id}/status`, { status: s }, ws.accessToken);
      return t.body.ticket.id as string;
    };
    const resolved = await ticket('Broken zipper', 'resolved');
    const pending = await ticket('Refund for the zipper', 'pending');
    const untouched = (await h.call('POST', '/v1/tickets', { subject: 'Unrelated', conversationId }, ws.accessToken)).body.ticket.id as string;
    const status = async (id: string) => (await h.call('GET', `/v1/tickets/${id}`, undefined, ws.accessToken)).body.ticket.status as string;
    expect([await status(resolved), await status(pending)]).toEqual(['resolved', 'pending']);

    await say('It broke again, can you help?');
    await eventually(async () => (await status(resolved)) === 'open' && (await status(pending)) === 'open', 'both tickets open again');
    expect(await status(untouched)).toBe('new');
    const detail = (await h.call('GET', `/v1/tickets/${resolved}`, undefined, ws.accessToken)).body;
    const byCustomer = detail.events.filter((e: { kind: string; data?: { by?: string } }) => e.kind === 'status_changed' && e.data?.by === 'customer');
    expect(byCustomer).toEqual([expect.objectContaining({ from: 'resolved', to: 'open' })]);
    expect(detail.ticket.sla.resolvedAt).toBeNull();
    // The SLA clock heard it: open again, a new resolution target running.
    await eventually(async () => {
      const sla = await h.temporal.workflow.getHandle(ticketWorkflowId(ws.tenant.id, resolved)).query<{ status: string }>('state');
      return sla.status === 'open';
    }, "the resolved ticket's SLA workflow open again");

    // Another message changes nothing more.
    await say('Hello?');
    await new Promise((r) => setTimeout(r, 1000));
    const again = (await h.call('GET', `/v1/tickets/${resolved}`, undefined, ws.accessToken)).body;
    expect(again.events.filter((e: { data?: { by?: string } }) => e.data?.by === 'customer')).toHaveLength(1);
  });

  it('asks the customer to rate a resolved ticket when the workspace wants it, records the answer once, and reopens on anything else', async () => {
    const ws = await h.signup('tickets-csat');
    expect((await h.call('PATCH', '/v1/workspace', { csatEnabled: 'yes' }, ws.accessToken)).body.error.fields[0].field).toBe('csatEnabled');
    expect((await h.call('PATCH', '/v1/workspace', { csatEnabled: true }, ws.accessToken)).body.csatEnabled).toBe(true);
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Ola' });
    const say = (content: string) => h.call('POST', '/v1/widget/messages', { content, clientMessageId: randomUUID() }, v.sessionToken);
    const conversationId = (await say('My jacket zip is stuck')).body.conversationId as string;
    const thread = async () => (await h.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken)).body.messages as Array<{ authorRole: string; content: string }>;
    await eventually(async () => (await thread()).some((m) => m.authorRole === 'ai'), 'the AI reply to the first message');
    const id = (await h.call('POST', '/v1/tickets', { subject: 'Stuck zip', conversationId }, ws.accessToken)).body.ticket.id as string;
    await h.call('POST', `/v1/tickets/${id}/status`, { status: 'open' }, ws.accessToken);
    const resolved = await h.call('POST', `/v1/tickets/${id}/status`, { status: 'resolved' }, ws.accessToken);
    expect(resolved.status).toBe(200);
    const surveys = (await thread()).filter((m) => m.content.includes('How did we do?'));
    expect(surveys).toEqual([expect.objectContaining({ content: expect.stringContaining('"Stuck zip"') })]);
    // The survey leaves the conversation to whoever answered it: here, still the AI.
    const conversation = async () => (await h.call('GET', `/v1/conversations/${conversationId}`, undefined, ws.accessToken)).body.conversation;
    expect(await conversation()).toMatchObject({ owner: 'ai', assigneeId: null, status: 'open' });
    const ticket = async () => (await h.call('GET', `/v1/tickets/${id}`, undefined, ws.accessToken)).body;
    expect((await ticket()).ticket.csat).toMatchObject({ requestedAt: expect.any(String), score: null });

    await say('4/5');
    await eventually(async () => (await ticket()).ticket.csat.score === 4, 'the rating on the ticket');
    // The AI thanks the customer for the rating rather than answering "4/5" from the knowledge base.
    const thanks = await eventually(async () => (await thread()).find((m) => m.authorRole === 'ai' && m.content.startsWith('Thank you for rating')), 'the thanks');
    expect(thanks.content).toBe('Thank you for rating us 4/5!');
    const rated = await ticket();
    expect(rated.ticket.status).toBe('resolved');
    expect(rated.events.filter((e: { kind: string }) => e.kind === 'csat')).toEqual([expect.objectContaining({ to: '4', data: expect.objectContaining({ by: 'customer' }) })]);
    const report = await h.call('GET', '/v1/reports', undefined, ws.accessToken);
    expect(report.body.csat).toEqual({ asked: 1, answers: 1, average: 4, satisfiedShare: 1 });

    // A second rating is a message: it reopens the ticket and changes no score.
    await say('5');
    await eventually(async () => (await ticket()).ticket.status === 'open', 'the ticket reopened');
    expect((await ticket()).ticket.csat.score).toBe(4);
    // Resolving again asks no second time.
    await h.call('POST', `/v1/tickets/${id}/status`, { status: 'resolved' }, ws.accessToken);
    expect((await thread()).filter((m) => m.content.includes('How did we do?'))).toHaveLength(1);
  });

  it('sends no survey where the workspace has not asked for one', async () => {
    const ws = await h.signup('tickets-no-csat');
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Per' });
    const conversationId = (await h.call('POST', '/v1/widget/messages', { content: 'Help', clientMessageId: randomUUID() }, v.sessionToken)).body.conversationId as string;
    const id = (await h.call('POST', '/v1/tickets', { subject: 'Help', conversationId }, ws.accessToken)).body.ticket.id as string;
    await h.call('POST', `/v1/tickets/${id}/status`, { status: 'resolved' }, ws.accessToken);
    const messages = (await h.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken)).body.messages as Array<{ content: string }>;
    expect(messages.filter((m) => m.content.includes('How did we do?'))).toEqual([]);
    expect((await h.call('GET', `/v1/tickets/${id}`, undefined, ws.accessToken)).body.ticket.csat).toEqual({ requestedAt: null, score: null, answeredAt: null });
  });
});
