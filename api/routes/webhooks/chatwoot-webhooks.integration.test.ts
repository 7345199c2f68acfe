import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatwootMessageKey } from '../../../activities/channels/chatwoot/chatwoot-keys.js';
import { chatwootSignature } from '../../../activities/channels/chatwoot/chatwoot-signature.js';
import { messages } from '../../../db/schema/index.js';
import { startFakeChatwoot, type FakeChatwoot } from '../../../scripts/testing/fake-chatwoot-server.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

const WEBHOOK_SECRET = 'cw-webhook-secret-abcdef0123456789';
let h: Harness;
let cw: FakeChatwoot;
let ws: Awaited<ReturnType<Harness['signup']>>;
let connectionId: string;

// The fake Chatwoot listens on loopback: the harness's worker allows private networks, as an operator
// with ALLOW_PRIVATE_NETWORK_URLS would; its API does not, which the connection test below relies on.
beforeAll(async () => {
  cw = await startFakeChatwoot();
  h = await startHarness();
  ws = await h.signup('chatwoot');
  const conn = await h.call(
    'POST',
    '/v1/channels/connections',
    { kind: 'chatwoot', name: 'Our Chatwoot', config: { baseUrl: cw.url, accountId: cw.accountId }, secrets: { apiAccessToken: cw.token, webhookSecret: WEBHOOK_SECRET } },
    ws.accessToken,
  );
  expect(conn.status).toBe(201);
  connectionId = conn.body.id;
});
afterAll(async () => {
  await h?.close();
  await cw?.close();
});

let nextId = 1000;
const incoming = (conversationId: number, contactId: number, content: string, over: Record<string, unknown> = {}) => ({
  event: 'message_created',
  id: nextId++,
  content,
  created_at: new Date().toISOString(),
  message_type: 'incoming',
  content_type: 'text',
  private: false,
  sender: { id: contactId, name: `Contact ${contactId}`, type: 'contact' },
  inbox: { id: 1, name: 'Support' },
  conversation: { id: conversationId, inbox_id: 1, status: 'pending', meta: { assignee: null } },
  account: { id: cw.accountId, name: 'Acme' },
  ...over,
});

const signedHeaders = (raw: string, secret = WEBHOOK_SECRET, ts = String(Math.floor(Date.now() / 1000))) => ({
  'content-type': 'application/json',
  'x-chatwoot-timestamp': ts,
  'x-chatwoot-signature': chatwootSignature(secret, ts, raw),
});
const post = (body: unknown, headers?: Record<string, string>, query = '') => {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return h.call('POST', `/webhooks/chatwoot/${connectionId}${query}`, raw, undefined, headers ?? signedHeaders(raw));
};
/** Our stored message for a Chatwoot message id (keys name the installation and account). */
const storedCw = (chatwootId: string | number) => stored(chatwootMessageKey({ baseUrl: cw.url, accountId: cw.accountId }, chatwootId));
const stored = (providerMessageId: string) => h.db.select().from(messages).where(and(eq(messages.tenantId, ws.tenant.id), eq(messages.providerMessageId, providerMessageId)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Chatwoot webhook authenticity', () => {
  it('rejects every forged, stale or missing signature and stores nothing', async () => {
    const body = incoming(900, 90, 'forged');
    const raw = JSON.stringify(body);
    const now = Math.floor(Date.now() / 1000);
    const good = signedHeaders(raw);
    const variants: Array<[string, Record<string, string>, string?]> = [
      ['no headers', { 'content-type': 'application/json' }],
      ['signature without timestamp', { 'content-type': 'application/json', 'x-chatwoot-signature': good['x-chatwoot-signature'] }],
      ['timestamp without signature', { 'content-type': 'application/json', 'x-chatwoot-timestamp': good['x-chatwoot-timestamp'] }],
      ['wrong secret', signedHeaders(raw, 'another-secret-0000000000')],
      ['stale timestamp', signedHeaders(raw, WEBHOOK_SECRET, String(now - 3600))],
      ['future timestamp', signedHeaders(raw, WEBHOOK_SECRET, String(now + 3600))],
      ['signature of another body', { ...good, 'x-chatwoot-signature': chatwootSignature(WEBHOOK_SECRET, good['x-chatwoot-timestamp'], raw.replace('forged', 'forgeD')) }],
      ['timestamp swapped after signing', { ...good, 'x-chatwoot-timestamp': String(now + 1) }],
      ['empty signature', { ...good, 'x-chatwoot-signature': '' }],
      ['bare hex, no sha256= prefix', { ...good, 'x-chatwoot-signature': good['x-chatwoot-signature'].slice(7) }],
      ['wrong URL token', { 'content-type': 'application/json' }, '?token=not-the-secret-000000'],
      ['empty URL token', { 'content-type': 'application/json' }, '?token='],
      ['valid URL token cannot rescue a bad signature', { ...good, 'x-chatwoot-signature': 'sha256=00' }, `?token=${WEBHOOK_SECRET}`],
    ];
    for (const [label, headers, query] of variants) {
      const r = await post(raw, headers, query);
      expect([401, 403], label).toContain(r.status);
      expect(r.body.error.fields[0].field, label).toBe('X-Chatwoot-Signature');
    }
    expect(await storedCw(body.id)).toHaveLength(0);
    const unknown = await h.call('POST', '/webhooks/chatwoot/00000000-0000-4000-8000-000000000000', raw, undefined, good);
    expect(unknown.status).toBe(404);
  });

  it('accepts the URL token on an unsigned delivery only where the connection opted in, for Chatwoot versions that cannot sign', async () => {
    const body = incoming(901, 91, 'from an old Chatwoot');
    const token = `?token=${encodeURIComponent(WEBHOOK_SECRET)}`;
    expect((await post(body, { 'content-type': 'application/json' }, token)).status).toBe(403);
    expect(await storedCw(body.id)).toHaveLength(0);
    const on = await h.call('PATCH', `/v1/channels/connections/${connectionId}`, { config: { baseUrl: cw.url, accountId: cw.accountId, acceptUrlToken: true } }, ws.accessToken);
    expect(on.status).toBe(200);
    try {
      expect((await post(body, { 'content-type': 'application/json' }, token)).status).toBe(200);
      expect(await storedCw(body.id)).toHaveLength(1);
    } finally {
      await h.call('PATCH', `/v1/channels/connections/${connectionId}`, { config: { baseUrl: cw.url, accountId: cw.accountId } }, ws.accessToken);
    }
  });
});

describe('Chatwoot messages', () => {
  it('stores one message however often the same delivery is posted, and the AI answers in that Chatwoot conversation', async () => {
    cw.setConversation(501, { status: 'pending', assignee: null });
    const body = incoming(501, 51, 'What are your opening hours?');
    const raw = JSON.stringify(body);
    const posts = await Promise.all([1, 2, 3, 4, 5].map(() => post(raw)));
    expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    expect(posts.filter((p) => p.body.duplicate === false)).toHaveLength(1);
    const rows = await storedCw(body.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'chatwoot', direction: 'inbound', content: 'What are your opening hours?' });
    expect(rows[0].metadata).toMatchObject({ chatwootConversationId: '501', chatwootInboxId: '1', chatwootStatus: 'pending' });

    const reply = await eventually(async () => {
      const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, rows[0].conversationId), eq(messages.authorRole, 'ai')));
      return r?.deliveryStatus === 'sent' && r;
    }, 'the AI reply sent through Chatwoot');
    const sent = cw.posted.filter((p) => p.conversationId === 501);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ content: reply.content, messageType: 'outgoing', private: false });
    expect(reply.providerMessageId).toBe(chatwootMessageKey({ baseUrl: cw.url, accountId: cw.accountId }, sent[0].id));

    // Chatwoot then reports our own reply as an outgoing message: it is not taken in, nor noted as an agent's.
    const echo = await post(incoming(501, 7, reply.content, { id: sent[0].id, message_type: 'outgoing', sender: { id: 7, name: 'Bridge User', type: 'user' } }));
    expect(echo.body).toMatchObject({ ok: true, ignored: 'our own reply' });
  });

  it('takes in nothing from outgoing messages, private notes, activities, templates or bots, and sends no reply', async () => {
    const before = cw.posted.length;
    const bodies = [
      incoming(502, 52, 'an agent bot speaks', { message_type: 'outgoing', sender: { id: 2, name: 'Bot', type: 'agent_bot' } }),
      incoming(502, 52, 'a private note', { private: true, sender: { id: 3, name: 'Sam', type: 'user' } }),
      incoming(502, 52, 'a private note from the contact side', { private: true }),
      incoming(502, 52, 'Conversation was marked resolved by Sam', { message_type: 'activity', sender: null }),
      incoming(502, 52, 'pick one', { message_type: 'template' }),
      incoming(502, 52, 'a bot posing as incoming', { sender: { id: 2, name: 'Bot', type: 'agent_bot' } }),
    ];
    for (const body of bodies) {
      const r = await post(body);
      expect(r.status, body.content).toBe(200);
      expect(r.body.ignored, body.content).toBeTruthy();
      expect(await storedCw(body.id), body.content).toHaveLength(0);
    }
    await sleep(1500);
    expect(cw.posted.length).toBe(before);
  });

  it('never answers over a Chatwoot person: the reply fails with the reason and Chatwoot receives nothing', async () => {
    cw.setConversation(503, { status: 'open', assignee: { id: 3, name: 'Sam' } });
    const body = incoming(503, 53, 'Is anyone there?', { conversation: { id: 503, inbox_id: 1, status: 'open', meta: { assignee: { id: 3, name: 'Sam', type: 'user' } } } });
    expect((await post(body)).status).toBe(200);
    const [inbound] = await storedCw(body.id);
    const reply = await eventually(async () => {
      const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, inbound.conversationId), eq(messages.authorRole, 'ai')));
      return r?.deliveryStatus === 'failed' && r;
    }, 'the AI reply refused');
    expect(reply.error).toContain('a Chatwoot agent is handling this conversation');
    expect(cw.posted.filter((p) => p.conversationId === 503)).toHaveLength(0);
    expect(cw.requests.filter((r) => r.path.endsWith('/conversations/503/messages'))).toHaveLength(0);
  });

  it("notes a Chatwoot agent's reply and status changes on the customer's latest message", async () => {
    cw.setConversation(504, { status: 'open', assignee: { id: 3, name: 'Sam' } });
    const body = incoming(504, 54, 'Hello?');
    await post(body);
    const agentReply = incoming(504, 54, 'Hi, Sam here', { message_type: 'outgoing', sender: { id: 3, name: 'Sam', type: 'user' }, conversation: { id: 504, status: 'open', meta: { assignee: { id: 3, name: 'Sam' } } } });
    expect((await post(agentReply)).status).toBe(200);
    expect(await storedCw(agentReply.id)).toHaveLength(0);
    const status = await post({ event: 'conversation_status_changed', id: 504, status: 'resolved', meta: { assignee: { id: 3, name: 'Sam', type: 'user' } } });
    expect(status.status).toBe(200);
    const [row] = await storedCw(body.id);
    expect(row.metadata).toMatchObject({
      chatwootConversationId: '504',
      chatwootStatus: 'resolved',
      chatwootAssignee: { id: '3', name: 'Sam' },
      chatwootAgentReply: { messageId: String(agentReply.id), agentId: '3', agentName: 'Sam' },
    });
  });

  it('answers malformed payloads with a 4xx naming the field, never a 500', async () => {
    const cases: Array<[unknown, string]> = [
      ['{not json', 'body'],
      ['[]', 'body'],
      ['"just a string"', 'body'],
      [{}, 'event'],
      [{ event: 42 }, 'event'],
      [{ ...incoming(505, 55, 'x'), conversation: undefined }, 'conversation'],
      [{ ...incoming(505, 55, 'x'), id: 'abc' }, 'id'],
      [{ ...incoming(505, 55, 'x'), sender: { name: 'no id', type: 'contact' } }, 'sender.id'],
      [{ ...incoming(505, 55, 'x'), message_type: 'sideways' }, 'message_type'],
      [{ ...incoming(505, 55, 'x'), account: undefined }, 'account'],
      [{ event: 'conversation_status_changed', id: 505, status: 'archived' }, 'status'],
      [{ ...incoming(505, 55, 'x'), content: { text: 'nested' } }, 'content'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field), JSON.stringify(body).slice(0, 60)).toContain(field);
    }
  });

  it("ignores another Chatwoot account's messages and acknowledges a disconnected connection without storing", async () => {
    const other = incoming(506, 56, 'from account 2', { account: { id: 2 } });
    expect((await post(other)).body.ignored).toContain('account 2');
    expect(await storedCw(other.id)).toHaveLength(0);
    await h.call('POST', `/v1/channels/connections/${connectionId}/disconnect`, undefined, ws.accessToken);
    const dropped = incoming(506, 56, 'while disconnected');
    const r = await post(dropped);
    await h.call('POST', `/v1/channels/connections/${connectionId}/reconnect`, undefined, ws.accessToken);
    expect(r.status).toBe(200);
    expect(await storedCw(dropped.id)).toHaveLength(0);
  });
});

describe('the Chatwoot connection', () => {
  it("validates settings, and the API's test refuses a loopback Chatwoot URL (tenant-set URLs are guarded)", async () => {
    const bad = await h.call('POST', '/v1/channels/connections', { kind: 'chatwoot', name: 'x', config: { baseUrl: 'ftp://chat.example.com', accountId: 0 } }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['config.accountId', 'config.baseUrl']);
    const profileReads = () => cw.requests.filter((r) => r.path === '/api/v1/profile').length;
    const before = profileReads();
    const tested = await h.call('POST', `/v1/channels/connections/${connectionId}/test`, undefined, ws.accessToken);
    expect(tested.body.lastTest).toMatchObject({ ok: false, message: expect.stringContaining('not allowed') });
    expect(profileReads()).toBe(before);
  });
});
