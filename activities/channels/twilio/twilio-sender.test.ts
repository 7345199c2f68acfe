import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../../../scripts/testing/fake-twilio-server.js';
import type { OutboundMessage, ResolvedConnection } from '../channel-sender.js';
import { twilioSender } from './twilio-sender.js';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'auth-token-0123456789abcdef';
const TEMPLATE = `HX${'b'.repeat(32)}`;
let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio({ [ACCOUNT]: TOKEN });
});
afterAll(async () => fake?.close());
beforeEach(() => {
  fake.messages.length = 0;
  fake.requests.length = 0;
});

const connection = (kind: 'sms' | 'whatsapp', extra: Record<string, unknown> = {}, token = TOKEN): ResolvedConnection => ({
  id: randomUUID(),
  tenantId: randomUUID(),
  kind,
  config: { accountSid: ACCOUNT, from: '+14155550100', ...extra },
  secrets: { authToken: token },
});
const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  tenantId: randomUUID(),
  messageId: randomUUID(),
  conversationId: randomUUID(),
  contactId: randomUUID(),
  channel: 'sms',
  content: 'Your parcel ships today.',
  to: '+31612345678',
  purpose: 'service',
  lastInboundAt: new Date(Date.now() - 60_000),
  metadata: null,
  thread: null,
  ...over,
});
const send = (conn: ResolvedConnection, msg: OutboundMessage) => twilioSender(fake.url).send(msg, { connection: conn, idempotencyKey: msg.messageId, publicUrl: 'https://sb.example.com/' });
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
};

describe('the Twilio sender', () => {
  it('sends an SMS with a status callback that names our message', async () => {
    const conn = connection('sms');
    const msg = message();
    const r = await send(conn, msg);
    expect(r.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(r.metadata).toBeUndefined();
    expect(fake.messages).toEqual([
      { sid: r.providerMessageId, accountSid: ACCOUNT, form: { From: '+14155550100', To: '+31612345678', Body: msg.content, StatusCallback: `https://sb.example.com/webhooks/twilio/${conn.id}/status?m=${msg.messageId}` } },
    ]);
  });

  it('sends WhatsApp free text inside the window, with whatsapp: addresses', async () => {
    const r = await send(connection('whatsapp'), message({ channel: 'whatsapp' }));
    expect(fake.messages[0].form).toMatchObject({ From: 'whatsapp:+14155550100', To: 'whatsapp:+31612345678', Body: 'Your parcel ships today.' });
    expect(fake.messages[0].sid).toBe(r.providerMessageId);
  });

  it('refuses WhatsApp free text outside the window when no template is configured, sending nothing', async () => {
    for (const lastInboundAt of [null, new Date(Date.now() - 25 * 3600_000)]) {
      const err = await failure(send(connection('whatsapp'), message({ channel: 'whatsapp', lastInboundAt })));
      expect(err.nonRetryable).toBe(true);
      expect(err.message).toMatch(/outside WhatsApp's 24-hour window and no template is configured/);
    }
    expect(fake.requests).toEqual([]);
  });

  it('sends the fallback template outside the window and says so', async () => {
    const conn = connection('whatsapp', { fallbackTemplate: { contentSid: TEMPLATE, variables: { '1': '{{message}}' } } });
    const r = await send(conn, message({ channel: 'whatsapp', lastInboundAt: null }));
    expect(r.metadata).toEqual({ template: TEMPLATE, window: 'closed' });
    expect(fake.messages[0].form).toMatchObject({ ContentSid: TEMPLATE, ContentVariables: JSON.stringify({ '1': 'Your parcel ships today.' }) });
    expect(fake.messages[0].form.Body).toBeUndefined();
  });

  it('does not retry what Twilio rejects, and keeps its code', async () => {
    const badNumber = await failure(send(connection('sms'), message({ to: '+0000' })));
    expect(badNumber.nonRetryable).toBe(true);
    expect(badNumber.message).toMatch(/not a valid phone number \(Twilio error 21211/);
    const badToken = await failure(send(connection('sms', {}, 'wrong-token-0123456789'), message()));
    expect(badToken.nonRetryable).toBe(true);
    expect(badToken.message).toMatch(/Auth Token \(Twilio error 20003/);
    expect(fake.messages).toEqual([]);
  });

  it('retries rate limits and Twilio faults', async () => {
    for (const status of [429, 500] as const) {
      fake.failNext(1, status);
      const err = await failure(send(connection('sms'), message()));
      expect(err.nonRetryable, String(status)).toBe(false);
    }
    // Once Twilio recovers the same send goes through.
    expect((await send(connection('sms'), message())).providerMessageId).toMatch(/^SM/);
  });

  it('retries when Twilio cannot be reached', async () => {
    const err = await twilioSender('http://127.0.0.1:1').send(message(), { connection: connection('sms'), idempotencyKey: 'x', publicUrl: 'https://sb.example.com' }).catch((e: ApplicationFailure) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
  });

  it('tests the credentials by fetching the account', async () => {
    expect(await twilioSender(fake.url).test!(connection('sms'))).toEqual({ ok: true, message: 'Connected to the Twilio account "Fake Twilio account".' });
    const bad = await twilioSender(fake.url).test!(connection('sms', {}, 'wrong-token-0123456789'));
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/20003/);
  });
});
