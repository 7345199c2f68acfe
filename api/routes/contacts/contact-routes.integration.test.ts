import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { contactIdentities, contacts } from '../../../db/schema/index.js';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

const get = (path: string, token: string) => h.call('GET', path, undefined, token);

/** A customer who wrote on WhatsApp and then by SMS from one phone: one contact, two conversations. */
async function customer(label: string) {
  const ws = await h.signup(label);
  const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const wa = await h.call('POST', '/v1/channels/simulator/messages', { channel: 'whatsapp', from: phone, name: 'Cory Contact', text: 'first, on WhatsApp' }, ws.accessToken);
  expect(wa.status).toBe(201);
  const sms = await h.call('POST', '/v1/channels/simulator/messages', { channel: 'sms', from: phone, text: 'then by SMS' }, ws.accessToken);
  expect(sms.body.contactId).toBe(wa.body.contactId);
  return { ws, phone, contactId: wa.body.contactId as string, waConversation: wa.body.conversationId as string, smsConversation: sms.body.conversationId as string };
}

describe('contact sidebar', () => {
  it('shows identities with their status, attributes, opt-outs and the labels of its conversations', async () => {
    const { ws, phone, contactId, waConversation, smsConversation } = await customer('contact-sidebar');
    await h.db.update(contacts).set({ attributes: { plan: 'pro', language: 'en' }, marketingOptOuts: ['sms'], tags: ['beta'] }).where(eq(contacts.id, contactId));
    await h.db.insert(contactIdentities).values({ tenantId: ws.tenant.id, contactId, channel: 'email', externalId: 'cory@example.com', status: 'bounced', statusDetail: 'mailbox full' });
    await h.call('PUT', `/v1/conversations/${waConversation}/labels`, { labels: ['vip', 'refund'] }, ws.accessToken);
    await h.call('PUT', `/v1/conversations/${smsConversation}/labels`, { labels: ['vip'] }, ws.accessToken);

    const r = await get(`/v1/contacts/${contactId}`, ws.accessToken);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: contactId, name: 'Cory Contact', phone, attributes: { plan: 'pro', language: 'en' }, tags: ['beta'], marketingOptOuts: ['sms'], labels: ['vip', 'refund'], mergedInto: null });
    expect(r.body.identities.map((i: any) => [i.kind, i.address, i.status, i.statusDetail])).toEqual([
      ['phone', phone, 'ok', null],
      ['email', 'cory@example.com', 'bounced', 'mailbox full'],
    ]);
  });

  it("lists the contact's past conversations, newest first, at most 20, with a preview", async () => {
    const { ws, contactId, waConversation, smsConversation } = await customer('contact-history');
    const list = await get(`/v1/contacts/${contactId}/conversations`, ws.accessToken);
    expect(list.status).toBe(200);
    expect(list.body.conversations.map((c: any) => c.id)).toEqual([smsConversation, waConversation]);
    expect(list.body.conversations[0]).toMatchObject({ channel: 'sms', status: 'open', lastMessage: { content: 'then by SMS', direction: 'inbound' } });

    // Older, closed ones from before: 25 of them, so only the newest 20 conversations come back.
    await h.db.execute(sql`
      insert into conversations (tenant_id, contact_id, channel, status, last_message_at, created_at)
      select ${ws.tenant.id}, ${contactId}, 'email', 'closed', now() - g * interval '1 day', now() - g * interval '1 day'
      from generate_series(1, 25) g`);
    const capped = (await get(`/v1/contacts/${contactId}/conversations`, ws.accessToken)).body.conversations;
    expect(capped).toHaveLength(20);
    expect(capped.slice(0, 2).map((c: any) => c.id)).toEqual([smsConversation, waConversation]);
    expect(capped[2]).toMatchObject({ channel: 'email', status: 'closed', lastMessage: null });
    const times = capped.map((c: any) => Date.parse(c.lastMessageAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('rejects a bad id naming the field, and 404s for an unknown or another workspace’s contact', async () => {
    const { contactId } = await customer('contact-owner');
    const other = await h.signup('contact-intruder');
    for (const path of [`/v1/contacts/${contactId}`, `/v1/contacts/${contactId}/conversations`, `/v1/contacts/${randomUUID()}/conversations`]) {
      expect((await get(path, other.accessToken)).status, path).toBe(404);
    }
    const bad = await get('/v1/contacts/not-a-uuid/conversations', other.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('id');
    expect((await h.call('GET', `/v1/contacts/${contactId}/conversations`)).status).toBe(401);
  });
});
