import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { consentEvents, contactMerges, contacts, conversations, messages } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';
import { ingestChannelMessage } from '../../services/inbound.js';

let h: Harness;
let ws: Awaited<ReturnType<Harness['signup']>>;
beforeAll(async () => {
  h = await startHarness();
  ws = await h.signup('channels');
});
afterAll(async () => h?.close());

const simulate = (body: Record<string, unknown>) => h.call('POST', '/v1/channels/simulator/messages', body, ws.accessToken);
const uniquePhone = () => `+3161${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

describe('channel connections', () => {
  it('validates settings per kind and names the field', async () => {
    const bad = await h.call('POST', '/v1/channels/connections', { kind: 'sms', name: 'SMS', config: { accountSid: 'nope', from: '0612' } }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['config.accountSid', 'config.from']);
    const noKind = await h.call('POST', '/v1/channels/connections', { kind: 'fax', name: 'x' }, ws.accessToken);
    expect(noKind.status).toBe(400);
    expect(noKind.body.error.fields[0].field).toBe('kind');
    const badSecret = await h.call('POST', '/v1/channels/connections', { kind: 'telegram', name: 'Bot', secrets: { botToken: 'x' } }, ws.accessToken);
    expect(badSecret.status).toBe(400);
    expect(badSecret.body.error.fields.map((f: { field: string }) => f.field)).toContain('secrets.botToken');
  });

  it('connects, shows only hints of secrets, tests, disconnects and reconnects', async () => {
    const sandbox = await h.call('POST', '/v1/channels/connections', { kind: 'telegram', name: 'Sandbox bot' }, ws.accessToken);
    expect(sandbox.status).toBe(201);
    expect(sandbox.body).toMatchObject({ kind: 'telegram', sandbox: true, status: 'active' });
    expect(sandbox.body.webhookUrl).toMatch(new RegExp(`/webhooks/telegram/${sandbox.body.id}$`));
    const tested = await h.call('POST', `/v1/channels/connections/${sandbox.body.id}/test`, undefined, ws.accessToken);
    expect(tested.body.lastTest).toMatchObject({ ok: true });

    const token = `123456789:${'A'.repeat(35)}`;
    const live = await h.call('POST', '/v1/channels/connections', { kind: 'telegram', name: 'Live bot', secrets: { botToken: token, webhookSecret: 'w'.repeat(24) } }, ws.accessToken);
    expect(live.status).toBe(201);
    expect(live.body.sandbox).toBe(false);
    expect(JSON.stringify(live.body)).not.toContain(token);
    expect(live.body.secretHints.botToken).toBe(`…${token.slice(-4)}`);

    const off = await h.call('POST', `/v1/channels/connections/${live.body.id}/disconnect`, undefined, ws.accessToken);
    expect(off.body.status).toBe('disconnected');
    const on = await h.call('POST', `/v1/channels/connections/${live.body.id}/reconnect`, undefined, ws.accessToken);
    expect(on.body.status).toBe('active');

    const inv = await h.call('POST', '/v1/invitations', { email: `ch-agent-${randomUUID().slice(0, 6)}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ag', password: 'a long password' });
    expect((await h.call('POST', '/v1/channels/connections', { kind: 'telegram', name: 'x' }, agent.body.accessToken)).status).toBe(403);
    expect((await h.call('GET', '/v1/channels/connections', undefined, agent.body.accessToken)).status).toBe(200);
  });
});

describe('the channel simulator and contacts across channels', () => {
  it('joins WhatsApp and SMS from one number into one contact, and answers through the sandbox', async () => {
    const phone = uniquePhone();
    const wa = await simulate({ channel: 'whatsapp', from: `${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6)}`, name: 'Ana', text: 'How many days do I have to return an item?' });
    expect(wa.status).toBe(201);
    const sms = await simulate({ channel: 'sms', from: phone, text: 'Hello again' });
    expect(sms.body.contactId).toBe(wa.body.contactId);
    expect(sms.body.conversationId).not.toBe(wa.body.conversationId);
    const contact = await h.call('GET', `/v1/contacts/${wa.body.contactId}`, undefined, ws.accessToken);
    expect(contact.body).toMatchObject({ name: 'Ana', phone, identities: [{ kind: 'phone', address: phone, status: 'ok' }] });
    const reply = await eventually(async () => {
      const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, wa.body.conversationId), eq(messages.authorRole, 'ai')));
      return r?.deliveryStatus === 'sent' && r;
    }, 'AI reply through the sandbox');
    expect(reply.providerMessageId).toBe(`sandbox:${reply.id}`);
    expect(reply.channel).toBe('whatsapp');
  });

  it('never creates two contacts for concurrent first messages from one person', async () => {
    const phone = uniquePhone();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => simulate({ channel: i % 2 ? 'sms' : 'whatsapp', from: phone, text: `first ${i}` })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.contactId)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.conversationId)).size).toBe(2);
    const rows = await h.db.select().from(contacts).where(and(eq(contacts.tenantId, ws.tenant.id), eq(contacts.phone, phone)));
    expect(rows).toHaveLength(1);
  });

  it('stores one message however often the same delivery is posted', async () => {
    const clientMessageId = randomUUID();
    const from = uniquePhone();
    const posts = await Promise.all([1, 2, 3, 4].map(() => simulate({ channel: 'sms', from, text: 'once', clientMessageId })));
    expect(new Set(posts.map((p) => p.body.messageId)).size).toBe(1);
    expect(posts.filter((p) => !p.body.duplicate)).toHaveLength(1);
    const stored = await h.db.select().from(messages).where(eq(messages.conversationId, posts[0].body.conversationId));
    expect(stored.filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('records STOP and START, per channel', async () => {
    const from = uniquePhone();
    const stop = await simulate({ channel: 'sms', from, text: 'Stop' });
    const [opted] = await h.db.select().from(contacts).where(eq(contacts.id, stop.body.contactId));
    expect(opted.marketingOptOuts).toEqual(['sms']);
    await simulate({ channel: 'sms', from, text: 'START' });
    const [back] = await h.db.select().from(contacts).where(eq(contacts.id, stop.body.contactId));
    expect(back.marketingOptOuts).toEqual([]);
    const events = await h.db.select().from(consentEvents).where(eq(consentEvents.contactId, stop.body.contactId));
    expect(events.map((e) => [e.action, e.source, e.channel]).sort()).toEqual([
      ['opt_in', 'START', 'sms'],
      ['opt_out', 'STOP', 'sms'],
    ]);
  });

  it('records a STOP once however often it is delivered, and a re-delivery repairs a record a crash left out', async () => {
    const from = uniquePhone();
    const clientMessageId = randomUUID();
    const posts = await Promise.all([1, 2, 3].map(() => simulate({ channel: 'telegram', from: from.slice(1), text: 'STOP', clientMessageId })));
    const { contactId, messageId } = posts[0].body;
    expect(await h.db.select().from(consentEvents).where(eq(consentEvents.messageId, messageId))).toHaveLength(1);
    // As if the API died after storing the message and before recording the opt-out.
    await h.db.delete(consentEvents).where(eq(consentEvents.messageId, messageId));
    await h.db.update(contacts).set({ marketingOptOuts: [] }).where(eq(contacts.id, contactId));
    expect((await simulate({ channel: 'telegram', from: from.slice(1), text: 'STOP', clientMessageId })).body.duplicate).toBe(true);
    expect(await h.db.select().from(consentEvents).where(eq(consentEvents.messageId, messageId))).toHaveLength(1);
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, contactId));
    expect(contact.marketingOptOuts).toEqual(['telegram']);
  });

  it('confirms a STOP on WhatsApp, and leaves the confirmation to the carrier on SMS', async () => {
    const from = uniquePhone();
    const wa = await simulate({ channel: 'whatsapp', from, text: 'STOP' });
    const sms = await simulate({ channel: 'sms', from, text: 'stop' });
    const confirmation = await eventually(async () => {
      const [r] = await h.db.select().from(messages).where(and(eq(messages.conversationId, wa.body.conversationId), eq(messages.authorRole, 'ai')));
      return r;
    }, 'WhatsApp confirmation');
    expect(confirmation.content).toMatch(/won't get marketing messages/);
    expect(confirmation.content).toMatch(/START/);
    // The SMS message is handled (triage stored) without a reply of ours.
    await eventually(async () => {
      const [m] = await h.db.select().from(messages).where(eq(messages.id, sms.body.messageId));
      return m.attributes?.route === 'consent';
    }, 'SMS STOP handled');
    const smsReplies = await h.db.select().from(messages).where(and(eq(messages.conversationId, sms.body.conversationId), eq(messages.authorRole, 'ai')));
    expect(smsReplies).toEqual([]);
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, wa.body.contactId));
    expect(contact.marketingOptOuts.sort()).toEqual(['sms', 'whatsapp']);
  });

  it('stores a message whose text carries NUL characters (as a provider passes them on) instead of failing', async () => {
    const r = await ingestChannelMessage(h, {
      tenantId: ws.tenant.id,
      connectionId: null,
      channel: 'email',
      identity: { kind: 'email', address: `nul-${randomUUID().slice(0, 6)}@example.com` },
      name: 'A\u0000na',
      providerMessageId: `<${randomUUID()}@example.com>`,
      content: 'hello\u0000world',
      metadata: { subject: 'a\u0000b' },
    });
    const [m] = await h.db.select().from(messages).where(eq(messages.id, r.messageId));
    expect(m.content).toBe('helloworld');
    expect(m.metadata).toEqual({ subject: 'ab' });
  });

  it('rejects a bad sender address on the field, never with a 500', async () => {
    for (const [channel, from] of [['sms', 'call me'], ['email', 'not-an-email'], ['telegram', 'abc']] as const) {
      const r = await simulate({ channel, from, text: 'hi' });
      expect(r.status, `${channel} ${from}`).toBe(400);
      expect(r.body.error.fields[0].field).toBe('from');
    }
    const missing = await simulate({ channel: 'sms', text: 'hi' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0].field).toBe('from');
  });
});

describe('merging contacts', () => {
  it('moves identities, conversations and history to the survivor, records the merge, and refuses a second merge', async () => {
    const phone = uniquePhone();
    const email = `m-${randomUUID().slice(0, 6)}@example.com`;
    const a = await simulate({ channel: 'whatsapp', from: phone, text: 'hi from whatsapp' });
    const b = await simulate({ channel: 'email', from: email, text: 'hi from email', subject: 'Hello' });
    expect(a.body.contactId).not.toBe(b.body.contactId);
    const merged = await h.call('POST', '/v1/contacts/merge', { survivorId: a.body.contactId, mergedIds: [b.body.contactId] }, ws.accessToken);
    expect(merged.status).toBe(200);
    expect(merged.body.moved).toMatchObject({ identities: 1, conversations: 1 });
    expect(merged.body.contact.identities.map((i: { kind: string }) => i.kind).sort()).toEqual(['email', 'phone']);
    expect(merged.body.contact).toMatchObject({ phone, email });
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.id, b.body.conversationId));
    expect(conv.contactId).toBe(a.body.contactId);
    const [record] = await h.db.select().from(contactMerges).where(eq(contactMerges.survivorId, a.body.contactId));
    expect(record.mergedIds).toEqual([b.body.contactId]);
    // A later email from that address lands on the survivor.
    const later = await simulate({ channel: 'email', from: email, text: 'me again' });
    expect(later.body.contactId).toBe(a.body.contactId);

    const again = await h.call('POST', '/v1/contacts/merge', { survivorId: a.body.contactId, mergedIds: [b.body.contactId] }, ws.accessToken);
    expect(again.status).toBe(409);
    const self = await h.call('POST', '/v1/contacts/merge', { survivorId: a.body.contactId, mergedIds: [a.body.contactId] }, ws.accessToken);
    expect(self.status).toBe(400);
    expect(self.body.error.fields[0].field).toBe('mergedIds');
  });

  it('a message arriving while its sender is being merged lands on the survivor', async () => {
    const phone = uniquePhone();
    const email = `race-${randomUUID().slice(0, 6)}@example.com`;
    const a = await simulate({ channel: 'whatsapp', from: phone, text: 'first' });
    const b = await simulate({ channel: 'email', from: email, text: 'second' });
    let arrived: Promise<{ status: number; body: { contactId: string } }> | undefined;
    // The merge, as POST /v1/contacts/merge does it, held open while a message from the merged address arrives.
    await h.sql.begin(async (tx) => {
      await tx`select id from contacts where id in (${a.body.contactId}, ${b.body.contactId}) order by id for update`;
      arrived = simulate({ channel: 'email', from: email, text: 'during the merge' });
      await new Promise((r) => setTimeout(r, 300));
      await tx`update contact_identities set contact_id = ${a.body.contactId} where contact_id = ${b.body.contactId}`;
      await tx`update contacts set merged_into = ${a.body.contactId} where id = ${b.body.contactId}`;
    });
    const during = await arrived!;
    expect(during.status).toBe(201);
    expect(during.body.contactId).toBe(a.body.contactId);
  });
});
