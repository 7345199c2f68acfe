import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { consentEvents, contacts, conversations, messages } from '../../../db/schema/index.js';
import { startFakeTelegram, type FakeTelegram } from '../../../scripts/testing/fake-telegram-server.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

const BOT_TOKEN = `7012345678:${'AAH'.repeat(12)}`;
const SECRET = 'tg-webhook-secret_0123456789';
let h: Harness;
let tg: FakeTelegram;
let ws: Awaited<ReturnType<Harness['signup']>>;
let connectionId: string;

beforeAll(async () => {
  tg = await startFakeTelegram({ botToken: BOT_TOKEN, username: 'northwind_bot' });
  h = await startHarness({ config: { TELEGRAM_API_URL: tg.url, PUBLIC_URL: 'https://switchboard.example.com' } });
  ws = await h.signup('telegram');
  const conn = await h.call('POST', '/v1/channels/connections', { kind: 'telegram', name: 'Bot', secrets: { botToken: BOT_TOKEN, webhookSecret: SECRET } }, ws.accessToken);
  expect(conn.status).toBe(201);
  connectionId = conn.body.id;
});
afterAll(async () => {
  await h?.close();
  await tg?.close();
});

/** `secret` null: no header at all. */
const post = (body: unknown, secret: string | null = SECRET, id = connectionId) =>
  h.call('POST', `/webhooks/telegram/${id}`, typeof body === 'string' ? body : JSON.stringify(body), undefined, secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret });
const chatId = () => randomInt(10 ** 9, 2 * 10 ** 9);
let nextUpdate = randomInt(10 ** 8);
const update = (chat: number, messageId: number, message: Record<string, unknown> = {}) => ({
  update_id: ++nextUpdate,
  message: { message_id: messageId, from: { id: chat, is_bot: false, first_name: 'Ana', last_name: 'Silva', username: 'anas', language_code: 'en' }, chat: { id: chat, type: 'private', first_name: 'Ana' }, date: Math.floor(Date.now() / 1000), ...message },
});
const inbound = (chat: number, messageId: number) => h.db.select().from(messages).where(and(eq(messages.channel, 'telegram'), eq(messages.providerMessageId, `7012345678:${chat}:${messageId}`)));
const aiReply = (conversationId: string, status: string[]) =>
  eventually(async () => {
    const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.authorRole, 'ai')));
    return r && status.includes(r.deliveryStatus) && r;
  }, `AI reply ${status.join('/')}`);

describe('Telegram webhook', () => {
  it('rejects every missing or wrong secret token and stores nothing', async () => {
    const chat = chatId();
    const body = update(chat, 1, { text: 'forged' });
    const variants: Array<string | null> = [null, '', ' ', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase(), SECRET.replace('_', '-'), `Bearer ${SECRET}`, 'tg-webhook-secret_0123456780', BOT_TOKEN, 'a'.repeat(256)];
    // (Surrounding whitespace is not a variant: HTTP trims header values before anyone sees them.)
    const results = await Promise.all(variants.map((v) => post(body, v)));
    results.forEach((r, i) => expect(r.status, `variant ${i}: ${variants[i]}`).toBe(403));
    expect(results[0].body.error.fields[0].field).toBe('X-Telegram-Bot-Api-Secret-Token');
    expect((await post(body, SECRET, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(await inbound(chat, 1)).toHaveLength(0);
  });

  it('stores a message once however often it is posted, and the AI answers in that chat', async () => {
    const chat = chatId();
    const body = update(chat, 10, { text: 'How many days do I have to return an item?' });
    const posts = await Promise.all([1, 2, 3, 4, 5].map(() => post(body)));
    expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = await inbound(chat, 10);
    expect(stored).toHaveLength(1);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, stored[0].conversationId));
    expect(conv).toMatchObject({ connectionId, address: String(chat), channel: 'telegram' });
    const contact = await h.call('GET', `/v1/contacts/${conv.contactId}`, undefined, ws.accessToken);
    expect(contact.body).toMatchObject({ name: 'Ana Silva', identities: [{ kind: 'telegram', address: String(chat) }] });

    const reply = await aiReply(conv.id, ['sent']);
    const out = tg.sent.filter((s) => s.chatId === String(chat));
    expect(out).toHaveLength(1);
    expect(out[0].text).toBe(reply.content);
    expect(reply.providerMessageId).toBe(`7012345678:${chat}:${out[0].messageId}`);
  });

  it('keeps photos and documents as attachment metadata with their file ids', async () => {
    const chat = chatId();
    const body = update(chat, 3, {
      caption: 'It arrived broken',
      photo: [{ file_id: 'AgACAgQAAxkBAAI-small', file_unique_id: 'AQADs', width: 90, height: 67, file_size: 1500 }, { file_id: 'AgACAgQAAxkBAAI-large', file_unique_id: 'AQADl', width: 1280, height: 960, file_size: 120000 }],
    });
    expect((await post(body)).status).toBe(200);
    const [msg] = await inbound(chat, 3);
    expect(msg).toMatchObject({ content: 'It arrived broken', attachments: [{ contentType: 'image/jpeg', size: 120000 }] });
    expect(msg.metadata).toMatchObject({ telegram: { files: [{ kind: 'photo', fileId: 'AgACAgQAAxkBAAI-large' }] } });
  });

  it('fails a reply to a user who blocked the bot, with Telegram’s reason', async () => {
    const chat = chatId();
    tg.blocked.add(String(chat));
    expect((await post(update(chat, 1, { text: 'hello' }))).status).toBe(200);
    const [msg] = await inbound(chat, 1);
    const reply = await aiReply(msg.conversationId, ['failed', 'sent']);
    expect(reply.deliveryStatus).toBe('failed');
    expect(reply.error).toContain('Forbidden: bot was blocked by the user');
    expect(tg.sent.filter((s) => s.chatId === String(chat))).toHaveLength(0);
  });

  it('retries after a 429 (retry_after) and a 500, and the reply ends sent once', async () => {
    const chat = chatId();
    tg.failNext('rate-limit', 1, 1);
    tg.failNext('server-error');
    expect((await post(update(chat, 1, { text: 'anyone there?' }))).status).toBe(200);
    const [msg] = await inbound(chat, 1);
    const reply = await aiReply(msg.conversationId, ['sent', 'failed']);
    expect(reply.deliveryStatus).toBe('sent');
    expect(tg.attempts.filter((a) => a.chatId === String(chat)).map((a) => a.status)).toEqual([429, 500, 200]);
    expect(tg.sent.filter((s) => s.chatId === String(chat))).toHaveLength(1);
  });

  it('ignores groups, channels, bots and edits', async () => {
    const chat = chatId();
    const group = -1000000000000 - chat;
    const bodies = [
      { ...update(group, 1, { text: 'hi all' }), message: { ...update(group, 1).message, text: 'hi all', chat: { id: group, type: 'supergroup', title: 'Fans' } } },
      { update_id: ++nextUpdate, channel_post: { message_id: 1, chat: { id: group, type: 'channel' }, date: 1, text: 'news' } },
      update(chat, 2, { text: 'beep', from: { id: chat, is_bot: true, first_name: 'Other bot' } }),
      { update_id: ++nextUpdate, edited_message: update(chat, 3, { text: 'edited' }).message },
    ];
    for (const b of bodies) expect((await post(b)).status).toBe(200);
    expect([...(await inbound(group, 1)), ...(await inbound(chat, 2)), ...(await inbound(chat, 3))]).toHaveLength(0);
  });

  it('takes STOP as an opt-out, and /start as no consent at all', async () => {
    const chat = chatId();
    expect((await post(update(chat, 1, { text: '/start' }))).status).toBe(200);
    const [first] = await inbound(chat, 1);
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, first.conversationId));
    expect(await h.db.select().from(consentEvents).where(eq(consentEvents.contactId, conv.contactId))).toHaveLength(0);
    await Promise.all([1, 2, 3].map(() => post(update(chat, 2, { text: 'stop' }))));
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
    expect(contact.marketingOptOuts).toEqual(['telegram']);
    const events = await h.db.select().from(consentEvents).where(eq(consentEvents.contactId, conv.contactId));
    expect(events.map((e) => [e.action, e.source, e.channel])).toEqual([['opt_out', 'STOP', 'telegram']]);
  });

  it('answers malformed updates with a 400 naming the field, never a 500', async () => {
    const chat = chatId();
    const ok = update(chat, 1, { text: 'x' });
    const cases: Array<[string | Record<string, unknown>, string]> = [
      ['{"update_id":', 'body'],
      ['', 'body'],
      ['"just a string"', 'body'],
      [{ message: ok.message }, 'update_id'],
      [{ ...ok, update_id: 'one' }, 'update_id'],
      [{ ...ok, message: { ...ok.message, chat: undefined } }, 'message.chat'],
      [{ ...ok, message: { ...ok.message, chat: { id: 'abc', type: 'private' } } }, 'message.chat.id'],
      [{ ...ok, message: { ...ok.message, message_id: 1.5 } }, 'message.message_id'],
      [{ ...ok, message: { ...ok.message, photo: [{ width: 1 }] } }, 'message.photo.0.file_id'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field), JSON.stringify(body)).toContain(field);
    }
  });

  it('tests the bot with getMe and registers its webhook with the secret Telegram must send back', async () => {
    const tested = await h.call('POST', `/v1/channels/connections/${connectionId}/test`, undefined, ws.accessToken);
    expect(tested.body.lastTest).toMatchObject({ ok: true });
    expect(tested.body.lastTest.message).toBe(`Connected as @northwind_bot; updates go to ${tested.body.webhookUrl}`);
    expect(tg.webhook).toEqual({ url: tested.body.webhookUrl, secretToken: SECRET });
    const bad = await h.call('POST', '/v1/channels/connections', { kind: 'telegram', name: 'Revoked', secrets: { botToken: `7012345678:${'ZZZ'.repeat(12)}`, webhookSecret: SECRET } }, ws.accessToken);
    const failed = await h.call('POST', `/v1/channels/connections/${bad.body.id}/test`, undefined, ws.accessToken);
    expect(failed.body.lastTest).toMatchObject({ ok: false });
    expect(failed.body.lastTest.message).toContain('Unauthorized');
  });
});
