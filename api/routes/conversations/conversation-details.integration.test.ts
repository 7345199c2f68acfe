import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { conversations, liveEvents } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A widget conversation the AI has answered (so its inbound message carries the triage). */
async function answered(label: string, text = 'Where is my order? It is late and I am annoyed') {
  const ws = await h.signup(label);
  const v = await h.visitor(ws.tenant.widgetKey, { name: 'Dana Detail', email: `dana-${randomUUID().slice(0, 6)}@example.com` });
  const sent = await h.call('POST', '/v1/widget/messages', { content: text, clientMessageId: randomUUID() }, v.sessionToken);
  const id = sent.body.conversationId as string;
  await eventually(async () => {
    const r = await h.call('GET', `/v1/conversations/${id}/messages`, undefined, ws.accessToken);
    return r.body.messages.some((m: any) => m.authorRole === 'ai' && m.deliveryStatus === 'sent');
  }, 'AI reply');
  return { ws, v, id };
}

const get = (path: string, token: string) => h.call('GET', path, undefined, token);
const team = async (tenantId: string, name: string) => {
  const id = randomUUID();
  await h.db.execute(sql`insert into teams (id, tenant_id, name) values (${id}, ${tenantId}, ${name})`);
  return id;
};

describe('conversation detail and messages for agents', () => {
  it('shows the triage, channel and author on messages, and the triage on the conversation', async () => {
    const { ws, v, id } = await answered('detail');
    const msgs = (await get(`/v1/conversations/${id}/messages`, ws.accessToken)).body.messages;
    const inbound = msgs.find((m: any) => m.direction === 'inbound');
    expect(inbound).toMatchObject({ channel: 'widget', purpose: 'service', author: null, error: null, attachments: null });
    expect(typeof inbound.attributes.intent).toBe('string');
    expect(typeof inbound.attributes.sentiment).toBe('string');
    const ai = msgs.find((m: any) => m.authorRole === 'ai');
    expect(ai).toMatchObject({ channel: 'widget', author: null });

    const detail = (await get(`/v1/conversations/${id}`, ws.accessToken)).body.conversation;
    expect(detail).toMatchObject({ id, whatsappWindow: null, labels: [], teamId: null, team: null, assignee: null, contact: { name: 'Dana Detail' } });
    expect(detail.triage).toMatchObject({ messageId: inbound.id, intent: inbound.attributes.intent, sentiment: inbound.attributes.sentiment, urgency: inbound.attributes.urgency });
    expect(typeof detail.triage.language).toBe('string');

    await h.call('POST', `/v1/conversations/${id}/take-over`, {}, ws.accessToken);
    const reply = await h.call('POST', `/v1/conversations/${id}/replies`, { content: 'On its way, Dana.' }, ws.accessToken);
    expect(reply.body.message.author).toEqual({ id: ws.user.id, name: 'detail owner' });
    const after = (await get(`/v1/conversations/${id}/messages`, ws.accessToken)).body.messages;
    expect(after.at(-1)).toMatchObject({ authorRole: 'agent', author: { id: ws.user.id, name: 'detail owner' }, channel: 'widget' });
    expect((await get(`/v1/conversations/${id}`, ws.accessToken)).body.conversation.assignee).toEqual({ id: ws.user.id, name: 'detail owner' });

    // The customer's own view of the thread carries none of the agent-only fields.
    const own = await get('/v1/widget/messages', v.sessionToken);
    expect(JSON.stringify(own.body)).not.toContain('"attributes"');
    expect(JSON.stringify(own.body)).not.toContain('"author"');
  });

  it("tells whether WhatsApp's 24-hour window is open", async () => {
    const ws = await h.signup('wa-window');
    const sim = await h.call('POST', '/v1/channels/simulator/messages', { channel: 'whatsapp', from: '+14155550123', name: 'Wanda', text: 'hi there' }, ws.accessToken);
    expect(sim.status).toBe(201);
    const id = sim.body.conversationId as string;
    const open = (await get(`/v1/conversations/${id}`, ws.accessToken)).body.conversation;
    expect(open.channel).toBe('whatsapp');
    expect(open.whatsappWindow.open).toBe(true);
    expect(Date.parse(open.whatsappWindow.closesAt)).toBe(Date.parse(open.lastInboundAt) + 24 * 3600_000);

    await h.db.update(conversations).set({ lastInboundAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(conversations.id, id));
    const closed = (await get(`/v1/conversations/${id}`, ws.accessToken)).body.conversation;
    expect(closed.whatsappWindow.open).toBe(false);
  });
});

describe('labels', () => {
  it('stores labels trimmed, lower-cased and deduplicated, raises a live event, and filters the inbox', async () => {
    const { ws, id } = await answered('labels');
    const r = await h.call('PUT', `/v1/conversations/${id}/labels`, { labels: [' VIP ', 'vip', 'Billing'] }, ws.accessToken);
    expect(r.status).toBe(200);
    expect(r.body.conversation).toMatchObject({ id, labels: ['vip', 'billing'] });
    const events = await h.db.select().from(liveEvents).where(eq(liveEvents.conversationId, id));
    expect(events.some((e) => e.kind === 'conversation.update')).toBe(true);
    expect((await get('/v1/conversations?label=billing', ws.accessToken)).body.conversations.map((c: any) => c.id)).toEqual([id]);
    expect((await get('/v1/labels', ws.accessToken)).body.labels).toEqual([
      { name: 'billing', count: 1 },
      { name: 'vip', count: 1 },
    ]);
    const cleared = await h.call('PUT', `/v1/conversations/${id}/labels`, { labels: [] }, ws.accessToken);
    expect(cleared.body.conversation.labels).toEqual([]);
    expect((await get('/v1/labels', ws.accessToken)).body.labels).toEqual([]);
  });

  it('rejects bad labels naming the field, and 404s another workspace', async () => {
    const { ws, id } = await answered('labels-bad');
    const cases: Array<[unknown, string]> = [
      [{ labels: ['   '] }, 'labels.0'],
      [{ labels: ['ok', 'x'.repeat(41)] }, 'labels.1'],
      [{ labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, 'labels'],
      [{ labels: 'vip' }, 'labels'],
      [{}, 'labels'],
    ];
    for (const [body, field] of cases) {
      const r = await h.call('PUT', `/v1/conversations/${id}/labels`, body, ws.accessToken);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.fields[0].field).toBe(field);
    }
    const other = await h.signup('labels-intruder');
    const r = await h.call('PUT', `/v1/conversations/${id}/labels`, { labels: ['hijacked'] }, other.accessToken);
    expect(r.status).toBe(404);
    const [row] = await h.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row.labels).toEqual([]);
  });
});

describe('assigning to a team', () => {
  it('assigns a team, an agent, or both, and clears either with null', async () => {
    const { ws, id } = await answered('assign-team');
    const teamId = await team(ws.tenant.id, 'Returns');
    const r = await h.call('POST', `/v1/conversations/${id}/assign`, { teamId }, ws.accessToken);
    expect(r.status).toBe(200);
    expect(r.body.conversation).toMatchObject({ teamId, assigneeId: null });
    expect((await get(`/v1/conversations/${id}`, ws.accessToken)).body.conversation.team).toEqual({ id: teamId, name: 'Returns' });
    expect((await get(`/v1/conversations?teamId=${teamId}`, ws.accessToken)).body.conversations.map((c: any) => c.id)).toEqual([id]);

    const both = await h.call('POST', `/v1/conversations/${id}/assign`, { assigneeId: ws.user.id, teamId: null }, ws.accessToken);
    expect(both.body.conversation).toMatchObject({ teamId: null, assigneeId: ws.user.id });
    const mine = await get('/v1/conversations?view=mine', ws.accessToken);
    expect(mine.body.conversations.map((c: any) => c.id)).toEqual([id]);
    expect(mine.body.counts.mine).toBe(1);
    // Only the keys given change: a team alone keeps the agent.
    const again = await h.call('POST', `/v1/conversations/${id}/assign`, { teamId }, ws.accessToken);
    expect(again.body.conversation).toMatchObject({ teamId, assigneeId: ws.user.id });
  });

  it('rejects an empty body, unknown or foreign teams, naming the field', async () => {
    const { ws, id } = await answered('assign-bad');
    const other = await h.signup('assign-other');
    const foreignTeam = await team(other.tenant.id, 'Theirs');
    const cases: Array<[unknown, string]> = [
      [{}, 'body'],
      [{ teamId: randomUUID() }, 'teamId'],
      [{ teamId: foreignTeam }, 'teamId'],
      [{ teamId: 'returns' }, 'teamId'],
      [{ assigneeId: other.user.id }, 'assigneeId'],
    ];
    for (const [body, field] of cases) {
      const r = await h.call('POST', `/v1/conversations/${id}/assign`, body, ws.accessToken);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.fields[0].field).toBe(field);
    }
    const myTeam = await team(ws.tenant.id, 'Mine');
    expect((await h.call('POST', `/v1/conversations/${id}/assign`, { teamId: myTeam }, other.accessToken)).status).toBe(404);
    const [row] = await h.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row.teamId).toBeNull();
  });
});
