import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { auditLog, messages } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A workspace with one widget conversation that the AI has answered once. */
async function conversationWithReply(label: string, text = 'Hello') {
  const ws = await h.signup(label);
  const v = await h.visitor(ws.tenant.widgetKey, { name: 'Casey Customer' });
  const sent = await h.call('POST', '/v1/widget/messages', { content: text, clientMessageId: randomUUID() }, v.sessionToken);
  const id = sent.body.conversationId as string;
  await eventually(async () => {
    const r = await h.call('GET', `/v1/conversations/${id}/messages`, undefined, ws.accessToken);
    return r.body.messages.some((m: any) => m.authorRole === 'ai' && m.deliveryStatus === 'sent');
  }, 'AI reply');
  return { ws, v, id };
}

const say = (token: string, text: string) => h.call('POST', '/v1/widget/messages', { content: text, clientMessageId: randomUUID() }, token);

describe('conversations for agents', () => {
  it('lists conversations with their contact and last message', async () => {
    const { ws, id } = await conversationWithReply('list');
    const list = await h.call('GET', '/v1/conversations', undefined, ws.accessToken);
    expect(list.status).toBe(200);
    expect(list.body.conversations).toHaveLength(1);
    expect(list.body.conversations[0]).toMatchObject({ id, channel: 'widget', status: 'open', owner: 'ai', contact: { name: 'Casey Customer' } });
    expect(list.body.conversations[0].lastMessage.direction).toBe('outbound');
    const one = await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken);
    expect(one.body.conversation.id).toBe(id);
    const resolved = await h.call('GET', '/v1/conversations?status=resolved', undefined, ws.accessToken);
    expect(resolved.body.conversations).toHaveLength(0);
  });

  it('takes over from the AI: the AI stays silent, the agent reply is delivered once, hand-back restores the AI', async () => {
    const { ws, v, id } = await conversationWithReply('takeover');
    const taken = await h.call('POST', `/v1/conversations/${id}/take-over`, {}, ws.accessToken);
    expect(taken.status).toBe(200);
    expect(taken.body.conversation).toMatchObject({ owner: 'human', assigneeId: ws.user.id });
    const twice = await h.call('POST', `/v1/conversations/${id}/take-over`, {}, ws.accessToken);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/already handled by a human/);

    await say(v.sessionToken, 'Are you a bot?');
    const reply = await h.call('POST', `/v1/conversations/${id}/replies`, { content: 'Hi, this is Sam from support.' }, ws.accessToken);
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ authorRole: 'agent', deliveryStatus: 'sent' });
    await eventually(async () => (await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken)).body.conversation.lastMessage.content.startsWith('Hi, this is Sam'), 'agent reply listed');
    const ai = await h.db.select().from(messages).where(and(eq(messages.conversationId, id), eq(messages.authorRole, 'ai')));
    expect(ai).toHaveLength(1);

    const back = await h.call('POST', `/v1/conversations/${id}/hand-back`, {}, ws.accessToken);
    expect(back.body.conversation.owner).toBe('ai');
    await say(v.sessionToken, 'thanks');
    await eventually(async () => (await h.db.select().from(messages).where(and(eq(messages.conversationId, id), eq(messages.authorRole, 'ai')))).length === 2, 'AI answers again');

    const audit = await h.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['conversation.taken_over', 'conversation.handed_back']));
  });

  it('hands over to a human when the customer asks for one', async () => {
    const { ws, id } = await conversationWithReply('handoff', 'I want to talk to a human');
    const c = await eventually(async () => {
      const r = await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken);
      return r.body.conversation.owner === 'human' && r.body.conversation;
    }, 'handoff');
    expect(c.status).toBe('open');
  });

  it('assigns, snoozes and closes; a new customer message reopens the conversation', async () => {
    const { ws, v, id } = await conversationWithReply('lifecycle');
    const assigned = await h.call('POST', `/v1/conversations/${id}/assign`, { assigneeId: ws.user.id }, ws.accessToken);
    expect(assigned.body.conversation.assigneeId).toBe(ws.user.id);
    const unassigned = await h.call('POST', `/v1/conversations/${id}/assign`, { assigneeId: null }, ws.accessToken);
    expect(unassigned.body.conversation.assigneeId).toBeNull();

    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await h.call('POST', `/v1/conversations/${id}/snooze`, { until }, ws.accessToken);
    expect(snoozed.body.conversation).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    await say(v.sessionToken, 'any news?');
    await eventually(async () => (await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken)).body.conversation.status === 'open', 'reopen on reply');

    const closed = await h.call('POST', `/v1/conversations/${id}/close`, {}, ws.accessToken);
    expect(closed.body.conversation.status).toBe('resolved');
    await eventually(async () => (await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken)).body.conversation.status === 'resolved', 'resolved in the list');
    await say(v.sessionToken, 'one more thing');
    await eventually(async () => (await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken)).body.conversation.status === 'open', 'reopened by a new message');
  });

  it('reopens a snoozed or resolved conversation on an agent\'s word, and refuses an open one', async () => {
    const { ws, id } = await conversationWithReply('reopen');
    const open = await h.call('POST', `/v1/conversations/${id}/reopen`, undefined, ws.accessToken);
    expect(open.status).toBe(409);
    await h.call('POST', `/v1/conversations/${id}/snooze`, { until: new Date(Date.now() + 3_600_000).toISOString() }, ws.accessToken);
    const woken = await h.call('POST', `/v1/conversations/${id}/reopen`, undefined, ws.accessToken);
    expect(woken.body.conversation).toMatchObject({ status: 'open', snoozedUntil: null });

    expect((await h.call('POST', `/v1/conversations/${id}/close`, {}, ws.accessToken)).body.conversation.status).toBe('resolved');
    await eventually(async () => (await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken)).body.conversation.status === 'resolved', 'resolved');
    // The resolved conversation's run has ended: reopening starts one, which stays.
    const reopened = await h.call('POST', `/v1/conversations/${id}/reopen`, undefined, ws.accessToken);
    expect(reopened.body.conversation.status).toBe('open');
    await eventually(async () => (await h.call('GET', `/v1/conversations/${id}`, undefined, ws.accessToken)).body.conversation.status === 'open', 'open in the list');
  });

  it('rejects bad input with 400s that name the field', async () => {
    const { ws, id } = await conversationWithReply('badinput');
    const badId = await h.call('GET', '/v1/conversations/not-a-uuid', undefined, ws.accessToken);
    expect(badId.status).toBe(400);
    expect(badId.body.error.fields[0].field).toBe('id');
    const badStatus = await h.call('GET', '/v1/conversations?status=archived', undefined, ws.accessToken);
    expect(badStatus.body.error.fields[0].field).toBe('status');
    const past = await h.call('POST', `/v1/conversations/${id}/snooze`, { until: '2001-01-01T00:00:00Z' }, ws.accessToken);
    expect(past.status).toBe(400);
    expect(past.body.error.fields[0].field).toBe('until');
    const notTime = await h.call('POST', `/v1/conversations/${id}/snooze`, { until: 'tomorrow' }, ws.accessToken);
    expect(notTime.body.error.fields[0].field).toBe('until');
    const emptyReply = await h.call('POST', `/v1/conversations/${id}/replies`, { content: '' }, ws.accessToken);
    expect(emptyReply.body.error.fields[0].field).toBe('content');
    const badAssignee = await h.call('POST', `/v1/conversations/${id}/assign`, { assigneeId: randomUUID() }, ws.accessToken);
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.body.error.fields[0].field).toBe('assigneeId');
    const badClose = await h.call('POST', `/v1/conversations/${id}/close`, { status: 'deleted' }, ws.accessToken);
    expect(badClose.body.error.fields[0].field).toBe('status');
    expect((await h.call('GET', '/v1/conversations')).status).toBe(401);
  });

  it("answers 404 for another workspace's conversation on every route, and changes nothing", async () => {
    const { id } = await conversationWithReply('victim');
    const other = await h.signup('intruder');
    const t = other.accessToken;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/v1/conversations/${id}`],
      ['GET', `/v1/conversations/${id}/messages`],
      ['POST', `/v1/conversations/${id}/take-over`, {}],
      ['POST', `/v1/conversations/${id}/hand-back`, {}],
      ['POST', `/v1/conversations/${id}/assign`, { assigneeId: null }],
      ['POST', `/v1/conversations/${id}/snooze`, { until: null }],
      ['POST', `/v1/conversations/${id}/close`, {}],
      ['POST', `/v1/conversations/${id}/replies`, { content: 'hijack' }],
    ];
    for (const [method, path, body] of routes) {
      const r = await h.call(method, path, body, t);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await h.call('GET', '/v1/conversations', undefined, t)).body.conversations).toHaveLength(0);
    const hijack = await h.db.select().from(messages).where(eq(messages.content, 'hijack'));
    expect(hijack).toHaveLength(0);
  });
});

describe('agent live stream', () => {
  it('streams the tenant’s conversation and message changes, and only that tenant’s', async () => {
    const ws = await h.signup('live');
    const other = await h.signup('live-other');
    const res = await h.app.request(`/v1/events?access_token=${ws.accessToken}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const v = await h.visitor(ws.tenant.widgetKey);
    const ov = await h.visitor(other.tenant.widgetKey);
    await say(ov.sessionToken, 'other tenant secret');
    await say(v.sessionToken, 'hello live');
    await eventually(async () => text.includes('"authorRole":"ai"') && text.includes('"deliveryStatus":"sent"'), 'live AI reply');
    await reader.cancel();
    await reading.catch(() => {});
    expect(text).toContain('event: conversation');
    expect(text).toContain('hello live');
    expect(text).not.toContain('other tenant secret');
    expect((await h.call('GET', '/v1/events')).status).toBe(401);
  });
});
