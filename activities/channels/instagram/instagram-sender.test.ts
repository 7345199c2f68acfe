import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { startFakeMetaGraph, type FakeMetaGraph } from '../../../scripts/testing/fake-meta-graph-server.js';
import type { OutboundMessage, ResolvedConnection } from '../channel-sender.js';
import { instagramSender } from './instagram-sender.js';

const IG = '17841400000000001';
let graph: FakeMetaGraph;
beforeAll(async () => {
  graph = await startFakeMetaGraph({ accessToken: 'IGQV-good-token-000000', igUserId: IG, username: 'northwind' });
});
afterAll(async () => graph?.close());

const connection = (accessToken = graph.accessToken): ResolvedConnection => ({ id: 'c1', tenantId: 't1', kind: 'instagram', config: { igUserId: IG }, secrets: { accessToken, appSecret: 'x'.repeat(16), verifyToken: 'y'.repeat(8) } });
const msg = (to: string, over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  tenantId: 't1', messageId: 'm1', conversationId: 'cv1', contactId: 'ct1', channel: 'instagram', content: 'Hello!', to, purpose: 'service',
  lastInboundAt: new Date(Date.now() - 60_000), metadata: null, thread: null, ...over,
});
const ctx = (c = connection()) => ({ connection: c, idempotencyKey: 'm1', publicUrl: 'http://x' });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: ApplicationFailure) => e);

describe('instagramSender', () => {
  it('sends to the recipient and returns Instagram’s message id', async () => {
    const r = await instagramSender(graph.url).send(msg('900001'), ctx());
    expect(r.providerMessageId).toMatch(/^aWdfZAG/);
    expect(graph.sent.at(-1)).toMatchObject({ recipientId: '900001', text: 'Hello!', messageId: r.providerMessageId });
  });

  it('refuses outside the 24-hour window without calling Meta', async () => {
    const before = graph.attempts.length;
    for (const lastInboundAt of [new Date(Date.now() - 24 * 3600_000 - 1000), null]) {
      const f = await failure(instagramSender(graph.url).send(msg('900002', { lastInboundAt }), ctx()));
      expect(f.nonRetryable).toBe(true);
      expect(f.message).toMatch(/24-hour/);
    }
    expect(graph.attempts.length).toBe(before);
  });

  it('maps Graph errors: a bad token and the window fail for good, rate limits retry', async () => {
    const bad = await failure(instagramSender(graph.url).send(msg('900001'), ctx(connection('IGQV-revoked-token-00'))));
    expect(bad.nonRetryable).toBe(true);
    expect(bad.message).toMatch(/access token/);
    graph.outsideWindow.add('900003');
    const closed = await failure(instagramSender(graph.url).send(msg('900003'), ctx()));
    expect(closed).toMatchObject({ nonRetryable: true, type: 'MessagingWindowClosed' });
    graph.failNext('rate-limit');
    const limited = await failure(instagramSender(graph.url).send(msg('900001'), ctx()));
    expect(limited).toMatchObject({ nonRetryable: false, type: 'RateLimited' });
  });

  it('tests the token against the account it belongs to', async () => {
    expect(await instagramSender(graph.url).test!(connection())).toEqual({ ok: true, message: 'Connected to Instagram as @northwind' });
    const other = await instagramSender(graph.url).test!({ ...connection(), config: { igUserId: '17841499999999999' } });
    expect(other.ok).toBe(false);
    await expect(instagramSender(graph.url).test!(connection('IGQV-revoked-token-00'))).rejects.toThrow(/access token/);
  });
});
