import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationFailure } from '@temporalio/common';
import { startFakeTelegram, type FakeTelegram } from '../../../scripts/testing/fake-telegram-server.js';
import type { OutboundMessage, ResolvedConnection } from '../channel-sender.js';
import { telegramSender } from './telegram-sender.js';

const TOKEN = `123456789:${'A'.repeat(35)}`;
let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram({ botToken: TOKEN, username: 'northwind_bot' });
});
afterAll(async () => tg?.close());

const connection = (botToken = TOKEN): ResolvedConnection => ({ id: 'c1', tenantId: 't1', kind: 'telegram', config: {}, secrets: { botToken, webhookSecret: 'w'.repeat(24) } });
const msg = (to: string, content = 'Hello!'): OutboundMessage => ({
  tenantId: 't1', messageId: 'm1', conversationId: 'cv1', contactId: 'ct1', channel: 'telegram', content, to, purpose: 'service', lastInboundAt: null, metadata: null, thread: null,
});
const ctx = (c = connection()) => ({ connection: c, idempotencyKey: 'm1', publicUrl: 'http://x' });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: ApplicationFailure) => e);

describe('telegramSender', () => {
  it('sends to the chat and keys the message by chat and message id', async () => {
    const r = await telegramSender(tg.url).send(msg('5550001'), ctx());
    expect(r.providerMessageId).toMatch(new RegExp(`^${TOKEN.split(':')[0]}:5550001:\\d+$`));
    expect(tg.sent.at(-1)).toMatchObject({ chatId: '5550001', text: 'Hello!' });
  });

  it('fails for good on a blocked bot and a revoked token, and retries a 429', async () => {
    tg.blocked.add('5550002');
    const blocked = await failure(telegramSender(tg.url).send(msg('5550002'), ctx()));
    expect(blocked).toMatchObject({ nonRetryable: true });
    expect(blocked.message).toContain('Forbidden: bot was blocked by the user');
    const revoked = await failure(telegramSender(tg.url).send(msg('5550001'), ctx(connection(`123456789:${'B'.repeat(35)}`))));
    expect(revoked).toMatchObject({ nonRetryable: true, type: 'InvalidCredentials' });
    tg.failNext('rate-limit', 1, 2);
    const limited = await failure(telegramSender(tg.url).send(msg('5550001'), ctx()));
    expect(limited).toMatchObject({ nonRetryable: false, nextRetryDelay: '2s' });
    const tooLong = await failure(telegramSender(tg.url).send(msg('5550001', 'x'.repeat(4097)), ctx()));
    expect(tooLong.nonRetryable).toBe(true);
  });

  it('tests the token and says whether the webhook is set', async () => {
    expect((await telegramSender(tg.url).test!(connection())).message).toMatch(/^Connected as @northwind_bot; no webhook is set/);
    tg.webhook.url = 'https://switchboard.example/webhooks/telegram/abc';
    expect((await telegramSender(tg.url).test!(connection())).message).toContain('updates go to https://switchboard.example/webhooks/telegram/abc');
    await expect(telegramSender(tg.url).test!(connection(`123456789:${'B'.repeat(35)}`))).rejects.toThrow(/Unauthorized/);
  });
});
