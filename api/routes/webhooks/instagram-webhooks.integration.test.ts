import { createHmac, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { contacts, conversations, messages } from '../../../db/schema/index.js';
import { startFakeMetaGraph, type FakeMetaGraph } from '../../../scripts/testing/fake-meta-graph-server.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

const IG = '17841400000000077';
const APP_SECRET = 'meta-app-secret-0123456789';
const VERIFY_TOKEN = 'verify-token-123';
let h: Harness;
let graph: FakeMetaGraph;
let ws: Awaited<ReturnType<Harness['signup']>>;
let connectionId: string;

beforeAll(async () => {
  graph = await startFakeMetaGraph({ accessToken: 'IGQVJ-test-access-token-0001', igUserId: IG, username: 'northwind' });
  h = await startHarness({ config: { META_GRAPH_URL: graph.url } });
  ws = await h.signup('instagram');
  const conn = await h.call(
    'POST',
    '/v1/channels/connections',
    { kind: 'instagram', name: 'Instagram', config: { igUserId: IG }, secrets: { appSecret: APP_SECRET, accessToken: graph.accessToken, verifyToken: VERIFY_TOKEN } },
    ws.accessToken,
  );
  expect(conn.status).toBe(201);
  connectionId = conn.body.id;
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

const sign = (raw: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
/** `signature` null: no header at all. */
const post = (raw: string, signature: string | null = sign(raw), id = connectionId) =>
  h.call('POST', `/webhooks/instagram/${id}`, raw, undefined, signature === null ? {} : { 'x-hub-signature-256': signature });
const igsid = () => `${randomInt(1000, 9999)}${randomInt(10 ** 10, 10 ** 11)}`;
const mid = () => `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE${randomInt(10 ** 12)}`;
const dm = (from: string, m: Record<string, unknown>) =>
  JSON.stringify({ object: 'instagram', entry: [{ id: IG, time: Date.now(), messaging: [{ sender: { id: from }, recipient: { id: IG }, timestamp: Date.now(), message: m }] }] });
const inbound = (id: string) => h.db.select().from(messages).where(and(eq(messages.channel, 'instagram'), eq(messages.providerMessageId, id)));
const aiReply = (conversationId: string, status: string[]) =>
  eventually(async () => {
    const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.authorRole, 'ai')));
    return r && status.includes(r.deliveryStatus) && r;
  }, `AI reply ${status.join('/')}`);

describe('Instagram webhook verification (GET)', () => {
  it('answers the challenge only for the right verify token', async () => {
    const get = (q: string, id = connectionId) => h.app.request(`/webhooks/instagram/${id}?${q}`);
    const ok = await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    for (const q of [`hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, `hub.mode=subscribe&hub.challenge=1`, `hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`]) {
      expect((await get(q)).status, q).toBe(403);
    }
    const noChallenge = await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`);
    expect(noChallenge.status).toBe(400);
    expect((await noChallenge.json()).error.fields[0].field).toBe('hub.challenge');
    expect((await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('Instagram webhook (POST)', () => {
  it('rejects every forged or missing signature and stores nothing', async () => {
    const id = mid();
    const raw = dm(igsid(), { mid: id, text: 'forged' });
    const good = sign(raw);
    const variants: Array<string | null> = [
      null,
      '',
      'sha256=',
      good.slice('sha256='.length),
      good.replace('sha256=', 'sha1='),
      good.slice(0, -1) + (good.endsWith('a') ? 'b' : 'a'),
      good.slice(0, -2),
      `${good}ff`,
      sign(raw, 'another-apps-secret-0000'),
      sign(raw.replace('forged', 'forgeD')),
      sign(JSON.stringify(JSON.parse(raw), null, 1)),
      `sha256=${'0'.repeat(64)}`,
    ];
    const results = await Promise.all(variants.map((v) => post(raw, v)));
    results.forEach((r, i) => expect(r.status, `variant ${i}: ${variants[i]}`).toBe(403));
    // A body signed for one connection is not accepted at another's URL.
    expect((await post(raw, good, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(await inbound(id)).toHaveLength(0);
  });

  it('stores a DM once however often it is posted, and the AI answers through Graph to the sender', async () => {
    const from = igsid();
    const id = mid();
    const raw = dm(from, { mid: id, text: 'How many days do I have to return an item?', attachments: [{ type: 'image', payload: { url: 'https://lookaside.example/a.jpg' } }] });
    const posts = await Promise.all([1, 2, 3, 4].map(() => post(raw)));
    expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    expect(posts[0].body).toBe('EVENT_RECEIVED');
    const stored = await inbound(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ direction: 'inbound', content: 'How many days do I have to return an item?', attachments: [{ url: 'https://lookaside.example/a.jpg', contentType: 'image/*' }] });

    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, stored[0].conversationId));
    expect(conv).toMatchObject({ connectionId, address: from, channel: 'instagram' });
    const contact = await h.call('GET', `/v1/contacts/${conv.contactId}`, undefined, ws.accessToken);
    expect(contact.body.identities).toEqual([expect.objectContaining({ kind: 'instagram', address: from })]);

    const reply = await aiReply(conv.id, ['sent']);
    const out = graph.sent.filter((s) => s.recipientId === from);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ igUserId: IG, text: reply.content, messageId: reply.providerMessageId });

    // Instagram's read receipt names the reply's mid: the reply moves to `read`, and never back.
    const read = JSON.stringify({ object: 'instagram', entry: [{ id: IG, time: Date.now(), messaging: [{ sender: { id: from }, recipient: { id: IG }, timestamp: Date.now(), read: { mid: reply.providerMessageId } }] }] });
    expect((await post(read)).status).toBe(200);
    const [after] = await h.db.select().from(messages).where(eq(messages.id, reply.id));
    expect(after.deliveryStatus).toBe('read');
  });

  it('ignores echoes of the account’s own messages and entries for other accounts', async () => {
    const from = igsid();
    const echo = mid();
    const ownSend = mid();
    const raw = JSON.stringify({
      object: 'instagram',
      entry: [{ id: IG, time: Date.now(), messaging: [
        { sender: { id: IG }, recipient: { id: from }, timestamp: Date.now(), message: { mid: echo, text: 'sent from the app', is_echo: true } },
        { sender: { id: IG }, recipient: { id: from }, timestamp: Date.now(), message: { mid: ownSend, text: 'sent from the app' } },
      ] }],
    });
    expect((await post(raw)).status).toBe(200);
    // Meta sends every account of an app to one callback URL: another account's DM is not this connection's.
    const otherAccount = mid();
    const other = JSON.stringify({ object: 'instagram', entry: [{ id: '17841499999999999', time: Date.now(), messaging: [{ sender: { id: from }, recipient: { id: '17841499999999999' }, timestamp: Date.now(), message: { mid: otherAccount, text: 'hi other shop' } }] }] });
    expect((await post(other)).status).toBe(200);
    expect([...(await inbound(echo)), ...(await inbound(ownSend)), ...(await inbound(otherAccount))]).toHaveLength(0);
  });

  it('fails a reply Instagram refuses for the 24-hour window, with the reason, and never marks it sent', async () => {
    const from = igsid();
    graph.outsideWindow.add(from);
    const id = mid();
    expect((await post(dm(from, { mid: id, text: 'hello?' }))).status).toBe(200);
    const [msg] = await inbound(id);
    const reply = await aiReply(msg.conversationId, ['failed', 'sent']);
    expect(reply.deliveryStatus).toBe('failed');
    expect(reply.error).toMatch(/24-hour messaging window.*This message is sent outside of allowed window/);
    expect(graph.sent.filter((s) => s.recipientId === from)).toHaveLength(0);
  });

  it('refuses an agent reply outside the window itself, before calling Graph', async () => {
    const from = igsid();
    const id = mid();
    expect((await post(dm(from, { mid: id, text: 'hi' }))).status).toBe(200);
    const [msg] = await inbound(id);
    await aiReply(msg.conversationId, ['sent']);
    await h.db.update(conversations).set({ lastInboundAt: sql`now() - interval '25 hours'` }).where(eq(conversations.id, msg.conversationId));
    const attempts = graph.attempts.filter((a) => a.recipientId === from).length;
    const sent = await h.call('POST', `/v1/conversations/${msg.conversationId}/replies`, { content: 'Sorry for the wait!' }, ws.accessToken);
    expect(sent.status).toBe(201);
    const failed = await eventually(async () => {
      const [r] = await h.db.select().from(messages).where(eq(messages.id, sent.body.message.id));
      return r && r.deliveryStatus !== 'queued' && r;
    }, 'agent reply settled');
    expect(failed.deliveryStatus).toBe('failed');
    expect(failed.error).toMatch(/outside Instagram's 24-hour messaging window/);
    expect(graph.attempts.filter((a) => a.recipientId === from).length).toBe(attempts);
  });

  it('retries a rate limit and a Graph 500, and the reply ends sent once', async () => {
    const from = igsid();
    graph.failNext('rate-limit');
    graph.failNext('server-error');
    const id = mid();
    expect((await post(dm(from, { mid: id, text: 'anyone there?' }))).status).toBe(200);
    const [msg] = await inbound(id);
    const reply = await aiReply(msg.conversationId, ['sent', 'failed']);
    expect(reply.deliveryStatus).toBe('sent');
    expect(graph.attempts.filter((a) => a.recipientId === from).map((a) => a.status)).toEqual([400, 500, 200]);
    expect(graph.sent.filter((s) => s.recipientId === from)).toHaveLength(1);
  });

  it('records STOP as an opt-out of marketing on Instagram', async () => {
    const from = igsid();
    const id = mid();
    await Promise.all([1, 2].map(() => post(dm(from, { mid: id, text: 'STOP' }))));
    const [msg] = await inbound(id);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, msg.conversationId));
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
    expect(contact.marketingOptOuts).toEqual(['instagram']);
  });

  it('answers malformed payloads with a 400 naming the field, never a 500', async () => {
    const from = igsid();
    const cases: Array<[string, string]> = [
      ['{"object":"instagram",', 'body'],
      ['', 'body'],
      ['[]', 'body'],
      [JSON.stringify({ object: 'page', entry: [] }), 'object'],
      [JSON.stringify({ object: 'instagram' }), 'entry'],
      [JSON.stringify({ object: 'instagram', entry: [{ id: IG, messaging: [{ recipient: { id: IG }, message: { mid: 'x', text: 'hi' } }] }] }), 'entry.0.messaging.0.sender'],
      [dm(from, { mid: 42, text: 'hi' }), 'entry.0.messaging.0.message.mid'],
      [dm('not-a-number', { mid: 'x', text: 'hi' }), 'entry.0.messaging.0.sender.id'],
      [dm(from, { mid: 'x', text: 'hi', attachments: 'nope' }), 'entry.0.messaging.0.message.attachments'],
    ];
    for (const [raw, field] of cases) {
      const r = await post(raw);
      expect(r.status, raw).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field), raw).toContain(field);
    }
  });

  it('acknowledges but drops deliveries for a disconnected connection', async () => {
    const conn = await h.call('POST', '/v1/channels/connections', { kind: 'instagram', name: 'Old', config: { igUserId: IG }, secrets: { appSecret: APP_SECRET, accessToken: graph.accessToken, verifyToken: VERIFY_TOKEN } }, ws.accessToken);
    await h.call('POST', `/v1/channels/connections/${conn.body.id}/disconnect`, undefined, ws.accessToken);
    const id = mid();
    const raw = dm(igsid(), { mid: id, text: 'anyone?' });
    expect((await post(raw, sign(raw), conn.body.id)).status).toBe(200);
    expect((await post(raw, sign(raw, 'wrong-secret-000000000'), conn.body.id)).status).toBe(403);
    expect(await inbound(id)).toHaveLength(0);
  });

  it('tests the connection against Graph', async () => {
    const tested = await h.call('POST', `/v1/channels/connections/${connectionId}/test`, undefined, ws.accessToken);
    expect(tested.body.lastTest).toMatchObject({ ok: true, message: 'Connected to Instagram as @northwind' });
  });
});
