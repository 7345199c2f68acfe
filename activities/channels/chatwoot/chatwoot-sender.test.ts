import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeChatwoot, type FakeChatwoot } from '../../../scripts/testing/fake-chatwoot-server.js';
import type { OutboundMessage, ResolvedConnection } from '../channel-sender.js';
import { chatwootSender } from './chatwoot-sender.js';

let cw: FakeChatwoot;
beforeAll(async () => {
  cw = await startFakeChatwoot();
});
afterAll(async () => cw?.close());

const connection = (over: Partial<ResolvedConnection> = {}): ResolvedConnection => ({
  id: 'c1',
  tenantId: 't1',
  kind: 'chatwoot',
  config: { baseUrl: cw.url, accountId: cw.accountId },
  secrets: { apiAccessToken: cw.token, webhookSecret: 'x'.repeat(20) },
  ...over,
});
const msg = (conversationId: number | string | null, content = 'Hello from the AI'): OutboundMessage => ({
  tenantId: 't1',
  messageId: `m-${Math.random()}`,
  conversationId: 'conv',
  contactId: 'contact',
  channel: 'chatwoot',
  content,
  to: '14',
  purpose: 'service',
  lastInboundAt: new Date(),
  metadata: null,
  thread: conversationId === null ? null : { chatwootConversationId: String(conversationId) },
});
const sender = chatwootSender({ allowPrivateNetworks: true });
const send = (m: OutboundMessage, conn = connection()) => sender.send(m, { connection: conn, idempotencyKey: m.messageId, publicUrl: 'http://127.0.0.1:8000' });

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('the Chatwoot sender', () => {
  it('posts an outgoing public message to the conversation the customer wrote in', async () => {
    const r = await send(msg(101));
    const last = cw.posted.at(-1)!;
    expect(last).toMatchObject({ conversationId: 101, content: 'Hello from the AI', messageType: 'outgoing', private: false });
    expect(r).toEqual({ providerMessageId: `cw:${new URL(cw.url).host}/${cw.accountId}/${last.id}`, metadata: { chatwootConversationId: '101', chatwootMessageId: String(last.id) } });
  });

  it('refuses, without posting, when a Chatwoot person handles the conversation', async () => {
    cw.setConversation(102, { status: 'open', assignee: { id: 3, name: 'Sam' } });
    cw.setConversation(103, { status: 'resolved', assignee: null });
    const before = cw.posted.length;
    for (const id of [102, 103]) {
      const f = await failure(send(msg(id)));
      expect(f.nonRetryable).toBe(true);
      expect(f.message).toContain('a Chatwoot agent is handling this conversation');
    }
    cw.setConversation(104, { status: 'open', assignee: null });
    const pendingOnly = connection({ config: { baseUrl: cw.url, accountId: cw.accountId, aiRepliesWhen: 'pending' } });
    expect((await failure(send(msg(104), pendingOnly))).nonRetryable).toBe(true);
    expect(cw.posted.length).toBe(before);
  });

  it('gives up on credentials and missing conversations, and retries rate limits and outages', async () => {
    const badToken = await failure(send(msg(105), connection({ secrets: { apiAccessToken: 'wrong-token-123', webhookSecret: 'x'.repeat(20) } })));
    expect(badToken.nonRetryable).toBe(true);
    expect(badToken.message).toContain('Invalid Access Token');
    cw.failNext(404, 1, { method: 'GET' });
    expect((await failure(send(msg(106)))).nonRetryable).toBe(true);
    const wrongAccount = await failure(send(msg(107), connection({ config: { baseUrl: cw.url, accountId: 99 } })));
    expect(wrongAccount.nonRetryable).toBe(true);
    for (const status of [429, 500, 503]) {
      cw.failNext(status, 1, { method: 'POST' });
      const f = await failure(send(msg(108)));
      expect(f.nonRetryable, `status ${status}`).toBe(false);
    }
    expect((await failure(send(msg(null)))).message).toContain('no Chatwoot conversation');
  });

  it('refuses a private or loopback Chatwoot URL unless the operator allows private networks', async () => {
    const guarded = chatwootSender();
    const before = cw.requests.length;
    const m = msg(109);
    for (const baseUrl of [cw.url, cw.url.replace('127.0.0.1', 'localhost'), 'http://169.254.169.254', 'http://10.0.0.5:3000']) {
      const f = await failure(guarded.send(m, { connection: connection({ config: { baseUrl, accountId: 1 } }), idempotencyKey: m.messageId, publicUrl: '' }));
      expect(f.nonRetryable, baseUrl).toBe(true);
      expect(f.message).toContain('not allowed');
    }
    expect(cw.requests.length).toBe(before);
    expect((await guarded.test!(connection())).ok).toBe(false);
  });

  it('tests the credentials with the profile', async () => {
    expect(await sender.test!(connection())).toMatchObject({ ok: true, message: expect.stringContaining('Bridge User') });
    expect(await sender.test!(connection({ secrets: { apiAccessToken: 'nope-nope-nope', webhookSecret: 'x'.repeat(20) } }))).toMatchObject({ ok: false, message: expect.stringContaining('Invalid Access Token') });
    expect(await sender.test!(connection({ config: { baseUrl: cw.url, accountId: 42 } }))).toMatchObject({ ok: false, message: expect.stringContaining('not a member') });
  });
});
