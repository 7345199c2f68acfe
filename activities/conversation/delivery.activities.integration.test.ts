import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { connectDb, withTenant, type DbHandle } from '../../db/client.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { encryptCredential } from '../../db/credential-crypto.js';
import { channelConnections, contacts, conversations, messages, outbox, tenants } from '../../db/schema/index.js';
import type { ChannelSender } from '../channels/channel-sender.js';
import { advanceDeliveryStatus } from '../../api/services/delivery-status.js';
import { createDeliveryActivities, widgetReplySend } from './delivery.activities.js';

let h: DbHandle;
let sends: string[];
/** Stands in for a provider (outside our stack): slow enough for attempts to overlap, and counts calls. */
const slowProvider: ChannelSender = {
  async send(msg) {
    sends.push(msg.messageId);
    await new Promise((r) => setTimeout(r, 300));
    return { providerMessageId: `prov-${msg.messageId}` };
  },
};

beforeAll(() => {
  h = connectDb(inject('databaseUrl'), { max: 4 });
});
afterAll(async () => h?.close());

async function outboundMessage(deliveryStatus: 'queued' | 'discarded' = 'queued', owner: 'ai' | 'human' = 'ai', opts: { purpose?: 'marketing'; optOuts?: string[] } = {}) {
  const [tenant] = await h.db.insert(tenants).values({ name: 'outbox', widgetKey: `wk_outbox_${Date.now()}_${Math.random()}` }).returning();
  const [contact] = await h.db.insert(contacts).values({ tenantId: tenant.id, marketingOptOuts: opts.optOuts ?? [] }).returning();
  // A connection with credentials, so sends go to the provider rather than the sandbox.
  const connectionId = randomUUID();
  const sealedSecrets = encryptCredential(KEY, tenant.id, connectionId, JSON.stringify({ authToken: 'secret' }));
  await h.db.insert(channelConnections).values({ id: connectionId, tenantId: tenant.id, kind: 'sms', name: 'test', sealedSecrets });
  const [conv] = await h.db
    .insert(conversations)
    .values({ tenantId: tenant.id, contactId: contact.id, channel: 'sms', owner, connectionId, address: '+31612345678' })
    .returning();
  const [msg] = await h.db
    .insert(messages)
    .values({ tenantId: tenant.id, conversationId: conv.id, direction: 'outbound', authorRole: 'ai', channel: 'sms', content: 'hi', deliveryStatus, purpose: opts.purpose })
    .returning();
  return { tenantId: tenant.id, messageId: msg.id, conversationId: conv.id };
}

const KEY = randomBytes(32);
const activities = () => createDeliveryActivities({ db: h.db, channels: { sms: slowProvider }, credentialsKey: KEY, publicUrl: 'http://127.0.0.1:1' });
const run = (input: { tenantId: string; messageId: string; whileAiOwns?: boolean }) => new MockActivityEnvironment().run(activities().deliverMessage, input);

describe('deliverMessage', () => {
  it('sends once when attempts overlap, and a later retry returns the stored provider id', async () => {
    sends = [];
    const m = await outboundMessage();
    const results = await Promise.allSettled([run(m), run(m), run(m)]);
    expect(sends).toEqual([m.messageId]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    // The others were told to retry later, not that the message failed.
    expect(results.filter((r) => r.status === 'rejected').every((r) => /another attempt is sending/.test(String((r as PromiseRejectedResult).reason)))).toBe(true);

    const retry = await run(m);
    expect(retry).toEqual({ status: 'sent', providerMessageId: `prov-${m.messageId}` });
    expect(sends).toHaveLength(1);
    const [row] = await h.db.select().from(outbox).where(eq(outbox.messageId, m.messageId));
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    const [msg] = await h.db.select().from(messages).where(eq(messages.id, m.messageId));
    expect(msg.deliveryStatus).toBe('sent');
  });

  it('sends a widget message in the claim itself: overlapping attempts and a retry all find it sent once', async () => {
    const [tenant] = await h.db.insert(tenants).values({ name: 'outbox widget', widgetKey: `wk_outbox_${randomUUID()}` }).returning();
    const [contact] = await h.db.insert(contacts).values({ tenantId: tenant.id }).returning();
    const [conv] = await h.db.insert(conversations).values({ tenantId: tenant.id, contactId: contact.id, channel: 'widget' }).returning();
    const [msg] = await h.db
      .insert(messages)
      .values({ tenantId: tenant.id, conversationId: conv.id, direction: 'outbound', authorRole: 'ai', channel: 'widget', content: 'hi', deliveryStatus: 'queued' })
      .returning();
    const m = { tenantId: tenant.id, messageId: msg.id, whileAiOwns: true };
    const sent = { status: 'sent', providerMessageId: `widget:${msg.id}` };
    expect(await Promise.all([run(m), run(m), run(m)])).toEqual([sent, sent, sent]);
    expect(await run(m)).toEqual(sent);
    const [row] = await h.db.select().from(outbox).where(eq(outbox.messageId, msg.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: `widget:${msg.id}`, lockedUntil: null });
    const [after] = await h.db.select().from(messages).where(eq(messages.id, msg.id));
    expect(after).toMatchObject({ deliveryStatus: 'sent', providerMessageId: `widget:${msg.id}` });
    const [c] = await h.db.select().from(conversations).where(eq(conversations.id, conv.id));
    expect(c.lastMessageAt).not.toBeNull();
  });

  it('sends a widget reply in the transaction that writes it, unless a takeover got there first', async () => {
    const [tenant] = await h.db.insert(tenants).values({ name: 'widget reply', widgetKey: `wk_outbox_${randomUUID()}` }).returning();
    const [contact] = await h.db.insert(contacts).values({ tenantId: tenant.id }).returning();
    const [conv] = await h.db.insert(conversations).values({ tenantId: tenant.id, contactId: contact.id, channel: 'widget' }).returning();
    const writeReply = () =>
      withTenant(h.db, tenant.id, async (tx) => {
        const send = await widgetReplySend(tx, conv.id);
        const [reply] = await tx
          .insert(messages)
          .values({ tenantId: tenant.id, conversationId: conv.id, direction: 'outbound', authorRole: 'ai', channel: 'widget', content: 'hi', deliveryStatus: 'queued' })
          .returning();
        return { reply, result: await send({ tenantId: tenant.id, id: reply.id }) };
      });

    const { reply, result } = await writeReply();
    expect(result).toEqual({ status: 'sent', providerMessageId: `widget:${reply.id}` });
    const [row] = await h.db.select().from(outbox).where(eq(outbox.messageId, reply.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: `widget:${reply.id}` });
    expect(row.sentAt).not.toBeNull();
    const [sent] = await h.db.select().from(messages).where(eq(messages.id, reply.id));
    expect(sent.deliveryStatus).toBe('sent');
    // deliverMessage, as the workflow's fallback, finds it sent and sends nothing more.
    expect(await run({ tenantId: tenant.id, messageId: reply.id, whileAiOwns: true })).toEqual(result);

    let settled = false;
    let held: Promise<{ result: unknown }> | undefined;
    await h.sql.begin(async (tx) => {
      await tx`update conversations set owner = 'human' where id = ${conv.id}`;
      held = writeReply().finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      // The reply's transaction waits on the conversation's row until the takeover commits.
      expect(settled).toBe(false);
    });
    expect((await held!).result).toEqual({ status: 'held', providerMessageId: null });
  });

  it('leaves a reply on any other channel to deliverMessage', async () => {
    const m = await outboundMessage();
    const result = await withTenant(h.db, m.tenantId, async (tx) => (await widgetReplySend(tx, m.conversationId))({ tenantId: m.tenantId, id: m.messageId }));
    expect(result).toBeNull();
    expect(await h.db.select().from(outbox).where(eq(outbox.messageId, m.messageId))).toEqual([]);
  });

  it('never sends a discarded message', async () => {
    sends = [];
    const m = await outboundMessage('discarded');
    expect(await run(m)).toEqual({ status: 'discarded', providerMessageId: null });
    expect(sends).toEqual([]);
  });

  it('holds a reply sent while the AI owns the conversation once a human owns it', async () => {
    sends = [];
    const m = await outboundMessage('queued', 'human');
    expect(await run({ ...m, whileAiOwns: true })).toEqual({ status: 'held', providerMessageId: null });
    expect(sends).toEqual([]);
    const [msg] = await h.db.select().from(messages).where(eq(messages.id, m.messageId));
    expect(msg.deliveryStatus).toBe('queued');
  });

  it('waits for a takeover being written, then holds the reply', async () => {
    sends = [];
    const m = await outboundMessage();
    let settled = false;
    let delivery: Promise<unknown> | undefined;
    await h.sql.begin(async (tx) => {
      await tx`update conversations set owner = 'human' where id = ${m.conversationId}`;
      delivery = run({ ...m, whileAiOwns: true }).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      // The claim waits on the conversation's row until the takeover commits.
      expect(settled).toBe(false);
    });
    expect(await delivery).toEqual({ status: 'held', providerMessageId: null });
    expect(sends).toEqual([]);
  });

  it('never sends marketing to a contact who opted out on that channel, and says why', async () => {
    sends = [];
    const m = await outboundMessage('queued', 'ai', { purpose: 'marketing', optOuts: ['sms'] });
    expect(await run(m)).toEqual({ status: 'failed', providerMessageId: null });
    expect(sends).toEqual([]);
    const [msg] = await h.db.select().from(messages).where(eq(messages.id, m.messageId));
    expect(msg).toMatchObject({ deliveryStatus: 'failed', error: 'the contact opted out of marketing on sms' });
    // A service reply to the same contact still goes out: opting out of marketing is not opting out of answers.
    const service = await outboundMessage('queued', 'ai', { optOuts: ['sms'] });
    expect(await run(service)).toMatchObject({ status: 'sent' });
  });

  it('does not send again what a status callback says the provider already has, after an attempt died mid-send', async () => {
    sends = [];
    const m = await outboundMessage();
    // The first attempt: the provider accepts, then the attempt dies before recording it.
    const dying: ChannelSender = {
      async send(msg) {
        sends.push(msg.messageId);
        throw new Error('worker killed');
      },
    };
    const first = createDeliveryActivities({ db: h.db, channels: { sms: dying }, credentialsKey: KEY, publicUrl: 'http://127.0.0.1:1' });
    await expect(new MockActivityEnvironment().run(first.deliverMessage, m)).rejects.toThrow('worker killed');
    // The provider's status callback names our message (its callback URL carries the id).
    const [before] = await h.db.select().from(messages).where(eq(messages.id, m.messageId));
    expect(before.deliveryStatus).toBe('queued');
    expect(await advanceDeliveryStatus(h.db, m.tenantId, { messageId: m.messageId }, 'sent', null, 'prov-from-callback')).toBe(true);
    // The retry finds it accepted and records it, without a second send.
    expect(await run(m)).toEqual({ status: 'sent', providerMessageId: 'prov-from-callback' });
    expect(sends).toEqual([m.messageId]);
    const [row] = await h.db.select().from(outbox).where(eq(outbox.messageId, m.messageId));
    expect(row.status).toBe('sent');
  });

  it('fails a message on a disconnected connection with the reason, and sends nothing', async () => {
    sends = [];
    const m = await outboundMessage();
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, m.conversationId));
    await h.db.update(channelConnections).set({ status: 'disconnected' }).where(eq(channelConnections.id, conv.connectionId!));
    expect(await run(m)).toEqual({ status: 'failed', providerMessageId: null });
    expect(sends).toEqual([]);
    const [msg] = await h.db.select().from(messages).where(eq(messages.id, m.messageId));
    expect(msg).toMatchObject({ deliveryStatus: 'failed', error: 'the sms connection "test" is disconnected' });
  });
});
