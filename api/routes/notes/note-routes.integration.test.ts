import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { LiveHub, type LiveEvent } from '../../live/live-hub.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';
import { readFrames } from '../../../scripts/testing/sse-frames.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

/** A workspace, an agent in it, and one widget conversation opened by a customer. */
async function conversation(label: string) {
  const ws = await h.signup(label);
  const inv = await h.call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, ws.accessToken);
  const agent = (await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ann Agent', password: 'a long password' })).body;
  const v = await h.visitor(ws.tenant.widgetKey, { name: 'Casey Customer' });
  const sent = await h.call('POST', '/v1/widget/messages', { content: 'Where is my order?', clientMessageId: randomUUID() }, v.sessionToken);
  return { ws, v, agent: { id: agent.user.id as string, token: agent.accessToken as string }, id: sent.body.conversationId as string };
}

const note = (token: string, id: string, content: string, mentions?: string[]) => h.call('POST', `/v1/conversations/${id}/notes`, { content, mentions }, token);

describe('private notes', () => {
  it('adds notes with mentions, lists them, and shows them in the mentioned user\'s mentions', async () => {
    const { ws, agent, id } = await conversation('notes');
    const added = await note(ws.accessToken, id, '@Ann can you check the courier?', [agent.id]);
    expect(added.status).toBe(201);
    expect(added.body.note).toMatchObject({ conversationId: id, content: '@Ann can you check the courier?', author: { id: ws.user.id, name: 'notes owner' }, mentions: [{ id: agent.id, name: 'Ann Agent' }] });
    await note(agent.token, id, 'On it.');

    const list = await h.call('GET', `/v1/conversations/${id}/notes`, undefined, agent.token);
    expect(list.body.notes.map((n: any) => n.content)).toEqual(['@Ann can you check the courier?', 'On it.']);
    expect(list.body.notes[1]).toMatchObject({ author: { id: agent.id }, mentions: [] });

    const mine = await h.call('GET', '/v1/me/mentions', undefined, agent.token);
    expect(mine.body.mentions).toHaveLength(1);
    expect(mine.body.mentions[0]).toMatchObject({ id: added.body.note.id, conversationId: id, contact: { name: 'Casey Customer' } });
    expect((await h.call('GET', '/v1/me/mentions', undefined, ws.accessToken)).body.mentions).toEqual([]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await h.call('GET', `/v1/me/mentions?since=${encodeURIComponent(later)}`, undefined, agent.token)).body.mentions).toEqual([]);

    // Notes are not messages: the agent's thread and the customer's history never contain them.
    const messages = await h.call('GET', `/v1/conversations/${id}/messages`, undefined, ws.accessToken);
    expect(messages.body.messages.map((m: any) => m.content)).toEqual(['Where is my order?']);
  });

  it('rejects bad notes with the field named', async () => {
    const { ws, id } = await conversation('notes-bad');
    const other = await h.signup('notes-bad-other');
    const empty = await note(ws.accessToken, id, '  ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].field).toBe('content');
    for (const mentions of [[randomUUID()], [other.user.id]]) {
      const r = await note(ws.accessToken, id, 'hi', mentions);
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].field).toBe('mentions');
    }
    expect((await note(ws.accessToken, id, 'hi', ['not-a-uuid'])).body.error.fields[0].field).toBe('mentions.0');
    expect((await h.call('GET', '/v1/me/mentions?since=yesterday', undefined, ws.accessToken)).body.error.fields[0].field).toBe('since');
    const yearZero = await h.call('GET', '/v1/me/mentions?since=0000-01-01T00:00:00Z', undefined, ws.accessToken);
    expect(yearZero.status).toBe(400);
    expect(yearZero.body.error.fields[0].field).toBe('since');
    expect((await h.call('GET', `/v1/conversations/${id}/notes`)).status).toBe(401);
  });

  it("never reaches another workspace's conversation", async () => {
    const { ws, id } = await conversation('notes-iso');
    await note(ws.accessToken, id, 'internal only');
    const other = await h.signup('notes-iso-other');
    expect((await h.call('GET', `/v1/conversations/${id}/notes`, undefined, other.accessToken)).status).toBe(404);
    expect((await note(other.accessToken, id, 'hello')).status).toBe(404);
    expect((await h.call('GET', '/v1/me/mentions', undefined, other.accessToken)).body.mentions).toEqual([]);
  });

  it('tells agents live with a `note` event and never tells the customer', async () => {
    const { ws, v, agent, id } = await conversation('notes-live');
    const agentStream = readFrames(await h.app.request(`/v1/events?access_token=${ws.accessToken}`));
    const widgetStream = readFrames(await h.app.request(`/v1/widget/events?token=${v.sessionToken}`));
    await eventually(async () => agentStream.frames.some((f) => f.event === 'ready') && widgetStream.frames.some((f) => f.event === 'ready'), 'streams ready');

    const added = (await note(ws.accessToken, id, 'SECRET-NOTE refund approved', [agent.id])).body.note;
    // A customer message after the note: once the widget has it, it would also have had the note.
    await h.call('POST', '/v1/widget/messages', { content: 'hello again', clientMessageId: randomUUID() }, v.sessionToken);
    const live = await eventually(async () => agentStream.frames.find((f) => f.event === 'note'), 'note event');
    await eventually(async () => widgetStream.frames.some((f) => f.data.includes('hello again')), 'customer message on the widget stream');
    await Promise.all([agentStream.stop(), widgetStream.stop()]);

    expect(JSON.parse(live.data)).toMatchObject({ kind: 'note.insert', conversationId: id, note: { id: added.id, conversationId: id, authorId: ws.user.id, mentions: [agent.id] } });
    expect(live.data).not.toContain('SECRET-NOTE');
    expect(widgetStream.frames.map((f) => f.event)).not.toContain('note');
    expect(widgetStream.frames.some((f) => f.data.includes(added.id) || f.data.includes('SECRET-NOTE'))).toBe(false);

    // Reconnecting from the start replays the customer's events, and still no note.
    const replay = readFrames(await h.app.request(`/v1/widget/events?token=${v.sessionToken}&since=0`));
    await eventually(async () => replay.frames.some((f) => f.data.includes('hello again')), 'replayed message');
    await replay.stop();
    expect(replay.frames.some((f) => f.event === 'note' || f.data.includes(added.id))).toBe(false);
    const history = await h.call('GET', '/v1/widget/messages', undefined, v.sessionToken);
    expect(history.body.messages.map((m: any) => m.content)).toEqual(['Where is my order?', 'hello again']);
  });

  it('keeps note events from visitor subscriptions in the hub itself, live and replayed', async () => {
    const { ws, v, id } = await conversation('notes-hub');
    const hub = new LiveHub(h.db, h.sql);
    await hub.start();
    const visitorSaw: LiveEvent[] = [];
    const agentSaw: LiveEvent[] = [];
    const offVisitor = hub.subscribe({ tenantId: ws.tenant.id, contactId: v.contactId, push: (e) => visitorSaw.push(e) });
    const offAgent = hub.subscribe({ tenantId: ws.tenant.id, push: (e) => agentSaw.push(e) });
    try {
      await note(ws.accessToken, id, 'hub check');
      await h.call('POST', '/v1/widget/messages', { content: 'marker', clientMessageId: randomUUID() }, v.sessionToken);
      await eventually(async () => visitorSaw.some((e) => e.message?.content === 'marker'), 'visitor gets the marker');
      await eventually(async () => agentSaw.some((e) => e.kind === 'note.insert'), 'agent gets the note');
      expect(visitorSaw.filter((e) => e.kind.startsWith('note.') || e.note)).toEqual([]);

      expect((await hub.replay(ws.tenant.id, 0, v.contactId)).some((e) => e.kind.startsWith('note.'))).toBe(false);
      expect((await hub.replay(ws.tenant.id, 0)).filter((e) => e.kind === 'note.insert')).toHaveLength(1);
    } finally {
      offVisitor();
      offAgent();
      await hub.stop();
    }
  });
});
