import { MockActivityEnvironment } from '@temporalio/testing';
import { and, eq, inArray } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChannelSenders } from '../../../activities/channels/senders.js';
import { createDeliveryActivities } from '../../../activities/conversation/delivery.activities.js';
import { parseMasterKey } from '../../../db/credential-crypto.js';
import { consentEvents, contacts, conversations, messages } from '../../../db/schema/index.js';
import { startFakeTwilio, twilioSignature, type FakeTwilio } from '../../../scripts/testing/fake-twilio-server.js';
import type { DeliveryResult } from '../../../temporal/contracts.js';
import { eventually, startHarness, TEST_CREDENTIALS_KEY, type Harness } from '../../../scripts/testing/harness.js';

const PUBLIC_URL = 'https://switchboard.example.com';
const ACCOUNT = `AC${'a'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-aaaaaaaaaaaa';
const OTHER_ACCOUNT = `AC${'b'.repeat(32)}`;
const OTHER_TOKEN = 'twilio-auth-token-bbbbbbbbbbbb';
const TEMPLATE = `HX${'c'.repeat(32)}`;
const BUSINESS = '+14155550100';

let fake: FakeTwilio;
let h: Harness;
let ws: Awaited<ReturnType<Harness['signup']>>;
/** Connections by role: WhatsApp without and with a fallback template, SMS, and one on another Twilio account. */
const conn = { wa: '', waTemplate: '', sms: '', other: '' };

beforeAll(async () => {
  fake = await startFakeTwilio({ [ACCOUNT]: TOKEN, [OTHER_ACCOUNT]: OTHER_TOKEN });
  h = await startHarness({ config: { PUBLIC_URL, TWILIO_API_URL: fake.url } });
  ws = await h.signup('twilio');
  const connect = async (kind: 'whatsapp' | 'sms', config: Record<string, unknown>, authToken = TOKEN) => {
    const r = await h.call('POST', '/v1/channels/connections', { kind, name: `${kind} ${randomUUID().slice(0, 4)}`, config: { accountSid: ACCOUNT, from: BUSINESS, ...config }, secrets: { authToken } }, ws.accessToken);
    expect(r.status).toBe(201);
    expect(r.body.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/twilio/${r.body.id}`);
    return r.body.id as string;
  };
  conn.wa = await connect('whatsapp', {});
  conn.waTemplate = await connect('whatsapp', { fallbackTemplate: { contentSid: TEMPLATE, variables: { '1': '{{contact.name}}', '2': '{{message}}' } } });
  conn.sms = await connect('sms', { defaultCountry: 'NL' });
  conn.other = await connect('sms', { accountSid: OTHER_ACCOUNT }, OTHER_TOKEN);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const sid = () => `SM${randomBytes(16).toString('hex')}`;
const phone = () => `+3161${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A form as Twilio posts it, signed over `signedUrl` (default: the URL it is posted to) with `token`. */
function post(path: string, params: Record<string, string>, opts: { token?: string | null; signedUrl?: string; signed?: Record<string, string>; headers?: Record<string, string>; rawBody?: string } = {}) {
  const url = `${PUBLIC_URL}${path}`;
  const token = opts.token === undefined ? TOKEN : opts.token;
  const headers: Record<string, string> = { ...FORM, ...(token !== null && { 'x-twilio-signature': twilioSignature(token, opts.signedUrl ?? url, opts.signed ?? params) }), ...opts.headers };
  return h.call('POST', path, opts.rawBody ?? new URLSearchParams(params).toString(), undefined, headers);
}

const inboundParams = (over: Record<string, string> = {}, whatsapp = true): Record<string, string> => {
  const from = over.From ?? phone();
  const prefix = whatsapp ? 'whatsapp:' : '';
  return { AccountSid: ACCOUNT, ApiVersion: '2010-04-01', MessageSid: sid(), From: `${prefix}${from}`, To: `${prefix}${BUSINESS}`, Body: 'Hello, is my order on its way?', NumMedia: '0', ...over, ...(over.From && { From: `${prefix}${over.From}` }) };
};
const inbound = (connectionId: string, params: Record<string, string>, opts: Parameters<typeof post>[2] = {}) => post(`/webhooks/twilio/${connectionId}`, params, opts);
const status = (connectionId: string, params: Record<string, string>, messageId?: string, opts: Parameters<typeof post>[2] = {}) =>
  post(`/webhooks/twilio/${connectionId}/status${messageId ? `?m=${messageId}` : ''}`, { AccountSid: ACCOUNT, ApiVersion: '2010-04-01', ...params }, opts);

async function storedInbound(providerMessageId: string) {
  return h.db.select().from(messages).where(and(eq(messages.tenantId, ws.tenant.id), eq(messages.providerMessageId, providerMessageId)));
}

/** A conversation opened by a real inbound message, and an outbound message on it in the given state. */
async function outbound(connectionId: string, opts: { deliveryStatus?: 'queued' | 'sent'; providerMessageId?: string; purpose?: 'marketing'; body?: string; from?: string } = {}) {
  const params = inboundParams({ ...(opts.from && { From: opts.from }), Body: opts.body ?? 'hi' }, connectionId !== conn.sms);
  expect((await inbound(connectionId, params)).status).toBe(200);
  const [received] = await storedInbound(params.MessageSid);
  const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, received.conversationId));
  const [msg] = await h.db
    .insert(messages)
    .values({
      tenantId: ws.tenant.id,
      conversationId: conv.id,
      direction: 'outbound',
      authorRole: 'agent',
      channel: conv.channel,
      content: 'We have news about your order.',
      deliveryStatus: opts.deliveryStatus ?? 'sent',
      providerMessageId: opts.providerMessageId,
      purpose: opts.purpose,
    })
    .returning();
  return { msg, conv };
}

const messageRow = async (id: string) => (await h.db.select().from(messages).where(eq(messages.id, id)))[0];
const deliver = (messageId: string) =>
  new MockActivityEnvironment().run(
    createDeliveryActivities({ db: h.db, channels: defaultChannelSenders({ twilio: fake.url }), credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), publicUrl: PUBLIC_URL }).deliverMessage,
    { tenantId: ws.tenant.id, messageId },
  ) as Promise<DeliveryResult>;
const sentFor = (messageId: string) => fake.messages.filter((m) => m.form.StatusCallback?.endsWith(`?m=${messageId}`));

describe('Twilio signatures', () => {
  it('rejects every forged or missing signature, on inbound messages and status callbacks, and stores nothing', async () => {
    const params = inboundParams();
    const path = `/webhooks/twilio/${conn.wa}`;
    const good = twilioSignature(TOKEN, `${PUBLIC_URL}${path}`, params);
    const { msg } = await outbound(conn.wa);
    const statusParams = { MessageSid: sid(), MessageStatus: 'read' };
    const statusPath = `/webhooks/twilio/${conn.wa}/status?m=${msg.id}`;
    const other = await outbound(conn.wa);

    const forgeries: Array<[string, () => Promise<{ status: number }>]> = [
      ['no signature header', () => inbound(conn.wa, params, { token: null })],
      ['an empty signature', () => inbound(conn.wa, params, { headers: { 'x-twilio-signature': '' } })],
      ['a garbage signature', () => inbound(conn.wa, params, { headers: { 'x-twilio-signature': 'not-a-signature' } })],
      ['a signature with its case flipped', () => inbound(conn.wa, params, { headers: { 'x-twilio-signature': good.replace(/[a-z]/g, (c) => c.toUpperCase()) } })],
      ['signed with a wrong token', () => inbound(conn.wa, params, { token: 'guessed-token-000000000000' })],
      ["signed with another connection's token", () => inbound(conn.wa, params, { token: OTHER_TOKEN })],
      ["signed for another connection's URL", () => inbound(conn.wa, params, { signedUrl: `${PUBLIC_URL}/webhooks/twilio/${conn.waTemplate}` })],
      ['signed for another host', () => inbound(conn.wa, params, { signedUrl: `https://evil.example.com${path}` })],
      ['signed for plain http', () => inbound(conn.wa, params, { signedUrl: `${PUBLIC_URL.replace('https', 'http')}${path}` })],
      ['a body field changed after signing', () => inbound(conn.wa, { ...params, Body: 'Refund me 500 EUR' }, { signed: params })],
      ['the sender changed after signing', () => inbound(conn.wa, { ...params, From: `whatsapp:${phone()}` }, { signed: params })],
      ['a field added after signing', () => inbound(conn.wa, { ...params, MediaUrl0: 'https://evil.example.com/x.png', NumMedia: '1' }, { signed: params })],
      ['a field removed after signing', () => inbound(conn.wa, { ...params, ProfileName: 'Eve' }, { signed: { ...params, ProfileName: 'Eve', WaId: '31600000000' } })],
      ['a valid signature replayed to another connection', () => inbound(conn.waTemplate, params, { signedUrl: `${PUBLIC_URL}${path}` })],
      ['a status callback with m= changed after signing', () => post(`/webhooks/twilio/${conn.wa}/status?m=${other.msg.id}`, statusParams, { signedUrl: `${PUBLIC_URL}${statusPath}` })],
      ['a status callback with m= added after signing', () => post(statusPath, statusParams, { signedUrl: `${PUBLIC_URL}/webhooks/twilio/${conn.wa}/status` })],
      ['a status callback signed for the inbound URL', () => post(statusPath, statusParams, { signedUrl: `${PUBLIC_URL}${path}` })],
      ['a status callback without a signature', () => post(statusPath, statusParams, { token: null })],
      ['a status callback with its status changed after signing', () => post(statusPath, { ...statusParams, MessageStatus: 'failed' }, { signed: statusParams })],
    ];
    const rejected: string[] = [];
    for (const [name, attempt] of forgeries) {
      const r = await attempt();
      if (r.status === 403) rejected.push(name);
    }
    expect(rejected).toEqual(forgeries.map(([name]) => name));
    expect(rejected.length / forgeries.length).toBe(1);
    expect(await storedInbound(params.MessageSid)).toEqual([]);
    expect((await messageRow(msg.id)).deliveryStatus).toBe('sent');
    expect((await messageRow(other.msg.id)).deliveryStatus).toBe('sent');

    // The same request, correctly signed, is accepted: the forgeries failed on their signature alone.
    expect((await inbound(conn.wa, params)).status).toBe(200);
    expect(await storedInbound(params.MessageSid)).toHaveLength(1);
  });
});

describe('Twilio inbound messages', () => {
  it('stores a WhatsApp message with its media and sender, and answers with empty TwiML', async () => {
    const from = phone();
    const params = inboundParams({
      From: from,
      Body: 'Here is the damaged item',
      ProfileName: 'Ana de Vries',
      NumMedia: '2',
      MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME1`,
      MediaContentType0: 'image/jpeg',
      MediaUrl1: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME2`,
      MediaContentType1: 'video/mp4',
    });
    const r = await inbound(conn.wa, params);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(r.body).toMatch(/<Response><\/Response>$/);
    const [msg] = await storedInbound(params.MessageSid);
    expect(msg).toMatchObject({ channel: 'whatsapp', direction: 'inbound', content: 'Here is the damaged item' });
    expect(msg.attachments).toEqual([
      { url: params.MediaUrl0, contentType: 'image/jpeg' },
      { url: params.MediaUrl1, contentType: 'video/mp4' },
    ]);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, msg.conversationId));
    expect(conv).toMatchObject({ connectionId: conn.wa, address: from, channel: 'whatsapp' });
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
    expect(contact).toMatchObject({ name: 'Ana de Vries', phone: from });
  });

  it('reads a local SMS number in the connection’s country, joining the same person on WhatsApp', async () => {
    const from = phone();
    await inbound(conn.wa, inboundParams({ From: from }));
    const local = `0${from.slice(3)}`;
    const params: Record<string, string> = { ...inboundParams({}, false), From: local };
    expect((await inbound(conn.sms, params)).status).toBe(200);
    const [msg] = await storedInbound(params.MessageSid);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, msg.conversationId));
    expect(conv.address).toBe(from);
    expect(msg.channel).toBe('sms');
    expect(await h.db.select().from(contacts).where(and(eq(contacts.tenantId, ws.tenant.id), eq(contacts.phone, from)))).toHaveLength(1);
  });

  it('stores one message however often the same delivery is posted', async () => {
    for (const times of [2, 5]) {
      const params = inboundParams();
      const token = randomUUID();
      const sequential = [];
      for (let i = 0; i < times; i++) sequential.push(await inbound(conn.wa, params, { headers: { 'i-twilio-idempotency-token': token } }));
      const concurrent = await Promise.all(Array.from({ length: times }, () => inbound(conn.wa, params, { headers: { 'i-twilio-idempotency-token': token } })));
      expect([...sequential, ...concurrent].map((r) => r.status)).toEqual(Array(times * 2).fill(200));
      expect(await storedInbound(params.MessageSid)).toHaveLength(1);
    }
  });

  it('never creates two contacts for concurrent first messages from one number', async () => {
    const from = phone();
    const posts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? inbound(conn.sms, inboundParams({ From: from }, false)) : inbound(conn.wa, inboundParams({ From: from })))),
    );
    expect(posts.map((p) => p.status)).toEqual(Array(8).fill(200));
    expect(await h.db.select().from(contacts).where(and(eq(contacts.tenantId, ws.tenant.id), eq(contacts.phone, from)))).toHaveLength(1);
    const convs = await h.db.select().from(conversations).where(and(eq(conversations.tenantId, ws.tenant.id), eq(conversations.address, from)));
    expect(convs.map((c) => c.channel).sort()).toEqual(['sms', 'whatsapp']);
  });

  it('acknowledges a disconnected connection but keeps nothing', async () => {
    const r = await h.call('POST', '/v1/channels/connections', { kind: 'sms', name: 'old', config: { accountSid: ACCOUNT, from: BUSINESS }, secrets: { authToken: TOKEN } }, ws.accessToken);
    await h.call('POST', `/v1/channels/connections/${r.body.id}/disconnect`, undefined, ws.accessToken);
    const params = inboundParams({}, false);
    expect((await inbound(r.body.id, params)).status).toBe(200);
    expect(await storedInbound(params.MessageSid)).toEqual([]);
    expect((await inbound(r.body.id, params, { token: 'guessed-token-000000000000' })).status).toBe(403);
  });
});

describe('consent keywords', () => {
  it('records STOP once however often it is delivered, and a later marketing send fails without reaching Twilio', async () => {
    const from = phone();
    const stop = inboundParams({ From: from, Body: 'Stop' }, false);
    await Promise.all([inbound(conn.sms, stop), inbound(conn.sms, stop), inbound(conn.sms, stop)]);
    const [stored] = await storedInbound(stop.MessageSid);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, stored.conversationId));
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
    expect(contact.marketingOptOuts).toEqual(['sms']);
    const events = await h.db.select().from(consentEvents).where(eq(consentEvents.contactId, contact.id));
    expect(events.map((e) => [e.action, e.source, e.channel, e.messageId])).toEqual([['opt_out', 'STOP', 'sms', stored.id]]);

    const { msg } = await outbound(conn.sms, { deliveryStatus: 'queued', purpose: 'marketing', from, body: 'thanks' });
    expect(await deliver(msg.id)).toEqual({ status: 'failed', providerMessageId: null });
    expect(await messageRow(msg.id)).toMatchObject({ deliveryStatus: 'failed', error: 'the contact opted out of marketing on sms' });
    expect(sentFor(msg.id)).toEqual([]);

    // START opts back in; the next marketing message goes out through Twilio.
    await inbound(conn.sms, inboundParams({ From: from, Body: 'START' }, false));
    const again = await outbound(conn.sms, { deliveryStatus: 'queued', purpose: 'marketing', from, body: 'ok' });
    const sent = await deliver(again.msg.id);
    expect(sent.status).toBe('sent');
    expect(sentFor(again.msg.id)).toHaveLength(1);
    expect(sentFor(again.msg.id)[0]).toMatchObject({ sid: sent.providerMessageId, form: { To: from, From: BUSINESS } });
  });
});

describe('sending through Twilio', () => {
  it("sends the AI's WhatsApp reply with the right numbers and a status callback naming it", async () => {
    const from = phone();
    const params = inboundParams({ From: from, Body: 'How many days do I have to return an item?' });
    await inbound(conn.wa, params);
    const [question] = await storedInbound(params.MessageSid);
    const reply = await eventually(async () => {
      const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, question.conversationId), eq(messages.authorRole, 'ai')));
      return r?.deliveryStatus === 'sent' && r;
    }, 'the AI reply sent through Twilio');
    const [sent] = sentFor(reply.id);
    expect(sent).toMatchObject({
      sid: reply.providerMessageId,
      accountSid: ACCOUNT,
      form: { From: `whatsapp:${BUSINESS}`, To: `whatsapp:${from}`, Body: reply.content, StatusCallback: `${PUBLIC_URL}/webhooks/twilio/${conn.wa}/status?m=${reply.id}` },
    });
    // Twilio's callbacks for it then move it on.
    for (const s of ['delivered', 'read']) expect((await status(conn.wa, { MessageSid: sent.sid, MessageStatus: s }, reply.id)).status).toBe(200);
    expect((await messageRow(reply.id)).deliveryStatus).toBe('read');
  });

  it('never marks a WhatsApp send outside the 24-hour window as sent: refused without a template, sent as the template with one', async () => {
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    const refused = await outbound(conn.wa, { deliveryStatus: 'queued' });
    await h.db.update(conversations).set({ lastInboundAt: dayAgo }).where(eq(conversations.id, refused.conv.id));
    expect(await deliver(refused.msg.id)).toEqual({ status: 'failed', providerMessageId: null });
    const row = await messageRow(refused.msg.id);
    expect(row.deliveryStatus).toBe('failed');
    expect(row.error).toMatch(/outside WhatsApp's 24-hour window and no template is configured/);
    expect(sentFor(refused.msg.id)).toEqual([]);
    // A retry of the activity does not send it either.
    expect((await deliver(refused.msg.id)).status).toBe('failed');
    expect(sentFor(refused.msg.id)).toEqual([]);

    const templated = await outbound(conn.waTemplate, { deliveryStatus: 'queued' });
    await h.db.update(conversations).set({ lastInboundAt: dayAgo }).where(eq(conversations.id, templated.conv.id));
    const r = await deliver(templated.msg.id);
    expect(r.status).toBe('sent');
    const [sent] = sentFor(templated.msg.id);
    expect(sent.form).toMatchObject({ ContentSid: TEMPLATE, From: `whatsapp:${BUSINESS}` });
    expect(sent.form.Body).toBeUndefined();
    expect(JSON.parse(sent.form.ContentVariables)['2']).toBe('We have news about your order.');
    expect((await messageRow(templated.msg.id)).metadata).toMatchObject({ template: TEMPLATE, window: 'closed' });
  });

  it('marks a send Twilio rejects as failed with its code, and retries one Twilio could not take', async () => {
    const rejected = await outbound(conn.sms, { deliveryStatus: 'queued' });
    await h.db.update(conversations).set({ address: '+999' }).where(eq(conversations.id, rejected.conv.id));
    expect((await deliver(rejected.msg.id)).status).toBe('failed');
    expect((await messageRow(rejected.msg.id)).error).toMatch(/Twilio error 21211/);

    const retried = await outbound(conn.sms, { deliveryStatus: 'queued' });
    fake.failNext(1, 500, (form) => form.StatusCallback?.endsWith(`?m=${retried.msg.id}`));
    await expect(deliver(retried.msg.id)).rejects.toThrow(/Twilio answered 500/);
    expect((await messageRow(retried.msg.id)).deliveryStatus).toBe('queued');
    expect((await deliver(retried.msg.id)).status).toBe('sent');
    expect(sentFor(retried.msg.id)).toHaveLength(1);
  });

  it('a crash after Twilio accepted and before any status callback sends at most one duplicate (the documented risk)', async () => {
    // Twilio's Messages API takes no idempotency key: only its status callback can tell a retry that the send happened.
    const m = await outbound(conn.sms, { deliveryStatus: 'queued' });
    const real = defaultChannelSenders({ twilio: fake.url });
    const dying = createDeliveryActivities({
      db: h.db,
      channels: { sms: { send: async (msg, ctx) => { await real.sms.send(msg, ctx); throw new Error('worker killed before recording the send'); } } },
      credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY),
      publicUrl: PUBLIC_URL,
    });
    await expect(new MockActivityEnvironment().run(dying.deliverMessage, { tenantId: ws.tenant.id, messageId: m.msg.id })).rejects.toThrow(/worker killed/);
    const retry = await deliver(m.msg.id);
    const sends = sentFor(m.msg.id);
    expect(sends).toHaveLength(2);
    expect(retry).toEqual({ status: 'sent', providerMessageId: sends[1].sid });
    // Later retries never send again: the outbox row is sent.
    expect(await deliver(m.msg.id)).toEqual(retry);
    expect(sentFor(m.msg.id)).toHaveLength(2);
  });

  it('tests the connection against Twilio', async () => {
    const ok = await h.call('POST', `/v1/channels/connections/${conn.wa}/test`, undefined, ws.accessToken);
    expect(ok.body.lastTest).toMatchObject({ ok: true, message: 'Connected to the Twilio account "Fake Twilio account".' });
    await h.call('PATCH', `/v1/channels/connections/${conn.other}`, { secrets: { authToken: 'rotated-token-0000000000' } }, ws.accessToken);
    const bad = await h.call('POST', `/v1/channels/connections/${conn.other}/test`, undefined, ws.accessToken);
    expect(bad.body.lastTest.ok).toBe(false);
    expect(bad.body.lastTest.message).toMatch(/20003/);
  });
});

describe('Twilio status callbacks', () => {
  it('never move a status backwards, whatever order they arrive in', async () => {
    const a = await outbound(conn.wa, { providerMessageId: sid() });
    for (const s of ['read', 'delivered', 'sent', 'queued']) expect((await status(conn.wa, { MessageSid: a.msg.providerMessageId!, MessageStatus: s }, a.msg.id)).status).toBe(200);
    expect((await messageRow(a.msg.id)).deliveryStatus).toBe('read');

    // Found by the MessageSid alone when the URL carries no id; a failure after delivery is not believed.
    const b = await outbound(conn.sms, { providerMessageId: sid() });
    for (const s of ['delivered', 'undelivered', 'failed', 'sent']) await status(conn.sms, { MessageSid: b.msg.providerMessageId!, MessageStatus: s, ErrorCode: '30003' });
    expect(await messageRow(b.msg.id)).toMatchObject({ deliveryStatus: 'delivered', error: null });
  });

  it("shows a failed send with Twilio's error", async () => {
    const m = await outbound(conn.sms, { providerMessageId: sid() });
    await status(conn.sms, { MessageSid: m.msg.providerMessageId!, MessageStatus: 'undelivered', ErrorCode: '30003' }, m.msg.id);
    expect(await messageRow(m.msg.id)).toMatchObject({ deliveryStatus: 'failed', error: 'the handset is unreachable (Twilio error 30003)' });
    await status(conn.sms, { MessageSid: m.msg.providerMessageId!, MessageStatus: 'delivered' }, m.msg.id);
    expect((await messageRow(m.msg.id)).deliveryStatus).toBe('failed');
  });

  it('keeps a send whose attempt died before recording it from being sent again', async () => {
    const m = await outbound(conn.wa, { deliveryStatus: 'queued' });
    const twilioSid = sid();
    expect((await status(conn.wa, { MessageSid: twilioSid, MessageStatus: 'sent' }, m.msg.id)).status).toBe(200);
    expect(await deliver(m.msg.id)).toEqual({ status: 'sent', providerMessageId: twilioSid });
    expect(sentFor(m.msg.id)).toEqual([]);
  });
});

describe('malformed Twilio requests', () => {
  it('get a 4xx naming what is wrong, never a 500', async () => {
    const path = (id: string) => `/webhooks/twilio/${id}`;
    const { MessageSid: _sid, ...noSid } = inboundParams();
    const { From: _from, ...noFrom } = inboundParams();
    const badForm = 'MessageSid=%ZZ%&From=%E0%A4%A&&=&Body=%';
    const cases: Array<[string, Promise<{ status: number; body: any }>, number, string?]> = [
      ['a connection id that is not a UUID', post('/webhooks/twilio/not-a-uuid', inboundParams()), 404],
      ['an unknown connection', post(path(randomUUID()), inboundParams()), 404],
      ['an unknown connection status callback', post(`${path(randomUUID())}/status`, { MessageSid: sid(), MessageStatus: 'sent' }), 404],
      ['JSON instead of a form', h.call('POST', path(conn.wa), inboundParams(), undefined, { 'x-twilio-signature': 'x' }), 415, 'content-type'],
      ['bad form encoding, unsigned', inbound(conn.wa, {}, { rawBody: badForm, token: null }), 403, 'x-twilio-signature'],
      ['bad form encoding, signed as parsed', inbound(conn.wa, Object.fromEntries(new URLSearchParams(badForm)), { rawBody: badForm }), 400, 'MessageSid'],
      ['an empty form', inbound(conn.wa, {}), 400, 'MessageSid'],
      ['no MessageSid', inbound(conn.wa, noSid), 400, 'MessageSid'],
      ['no From', inbound(conn.wa, noFrom), 400, 'From'],
      ['a From that is no phone number', inbound(conn.wa, { ...inboundParams(), From: 'whatsapp:call-me' }), 400, 'From'],
      ['a malformed MessageSid', inbound(conn.wa, { ...inboundParams(), MessageSid: "SM1' or 1=1" }), 400, 'MessageSid'],
      ['NumMedia that is no number', inbound(conn.wa, { ...inboundParams(), NumMedia: 'many' }), 400, 'NumMedia'],
      ['a missing MediaUrl', inbound(conn.wa, { ...inboundParams(), NumMedia: '2', MediaUrl0: 'https://x.example.com/a.png' }), 400, 'MediaUrl1'],
      // Stored without it rather than lost: PostgreSQL cannot hold a NUL, and a sender can type one.
      ['a NUL character in the body', inbound(conn.wa, { ...inboundParams(), Body: 'a\u0000b' }), 200],
      ['no MessageStatus', status(conn.wa, { MessageSid: sid() }), 400, 'MessageStatus'],
      ['an unknown MessageStatus', status(conn.wa, { MessageSid: sid(), MessageStatus: 'exploded' }), 400, 'MessageStatus'],
      ['m= that is not a message id', post(`${path(conn.wa)}/status?m=1%20or%201`, { MessageSid: sid(), MessageStatus: 'sent' }), 400, 'm'],
      ['a too large body', inbound(conn.wa, { ...inboundParams(), Body: 'x'.repeat(1024 * 1024) }), 413],
    ];
    for (const [name, request, expected, field] of cases) {
      const r = await request;
      expect(r.status, name).toBe(expected);
      if (field) expect(r.body.error.fields.map((f: { field: string }) => f.field), name).toContain(field);
    }
  });

  it('names a repeated field', async () => {
    const raw = `MessageSid=${sid()}&MessageSid=${sid()}&From=%2B31612345678`;
    const params = new URLSearchParams(raw);
    const url = `${PUBLIC_URL}/webhooks/twilio/${conn.sms}`;
    // Twilio's algorithm over a repeated parameter: its values sorted, each appended after the name.
    const signed = [...new Set(params.getAll('MessageSid'))].sort().reduce((acc, v) => acc + 'MessageSid' + v, url + 'From+31612345678');
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha1', TOKEN).update(signed).digest('base64');
    const r = await h.call('POST', `/webhooks/twilio/${conn.sms}`, raw, undefined, { ...FORM, 'x-twilio-signature': signature });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].field).toBe('MessageSid');
    expect(await h.db.select().from(messages).where(inArray(messages.providerMessageId, params.getAll('MessageSid')))).toEqual([]);
  });
});
