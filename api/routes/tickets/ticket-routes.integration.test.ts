import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

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
});

