import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

type Entry = { id: string; kind: string; at: string; text: string | null; authorRole: string | null; detected: Record<string, unknown> | null; from: string | null; to: string | null };

describe("a contact's timeline", () => {
  it('merges messages (with what the AI detected), notes, tickets and stage changes into one stream, newest first, page by page', async () => {
    const ws = await h.signup('timeline');
    const call = (method: string, path: string, body?: unknown, token = ws.accessToken) => h.call(method, path, body, token);
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Ivo' });
    const said = await h.call('POST', '/v1/widget/messages', { content: 'I want a refund, the boots leak!', clientMessageId: randomUUID() }, v.sessionToken);
    const conversationId = said.body.conversationId as string;
    await eventually(async () => {
      const t = await call('GET', `/v1/contacts/${v.contactId}/timeline`);
      return t.body.entries.some((e: Entry) => e.authorRole === 'ai');
    }, 'the AI reply in the timeline');
    expect((await call('POST', `/v1/conversations/${conversationId}/notes`, { content: 'Checked the order: size 44.' })).status).toBe(201);
    const ticket = await call('POST', '/v1/tickets', { subject: 'Leaking boots', conversationId });
    await call('POST', `/v1/tickets/${ticket.body.ticket.id}/status`, { status: 'open' });
    const made = await call('POST', '/v1/pipelines', { name: 'Sales', stages: [{ name: 'New' }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] });
    const lead = await call('POST', '/v1/leads', { pipelineId: made.body.pipeline.id, contactId: v.contactId, title: 'Winter boots' });
    await call('POST', `/v1/leads/${lead.body.lead.id}/move`, { stageId: made.body.pipeline.stages[1].id });
    const note = await call('POST', `/v1/contacts/${v.contactId}/notes`, { content: 'Prefers email.' });
    expect(note.status, JSON.stringify(note.body)).toBe(201);

    const all = await call('GET', `/v1/contacts/${v.contactId}/timeline`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const entries = all.body.entries as Entry[];
    const kinds = entries.map((e) => `${e.kind}${e.authorRole ? `:${e.authorRole}` : ''}`);
    expect(kinds).toEqual(['note', 'stage_change', 'stage_change', 'ticket_status', 'ticket_created', 'note', 'message:ai', 'message:customer']);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    expect(entries[0]).toMatchObject({ text: 'Prefers email.' });
    expect(entries[1]).toMatchObject({ text: 'Winter boots', from: 'New', to: 'Won' });
    // Its creation, in the first stage.
    expect(entries[2]).toMatchObject({ text: 'Winter boots', from: null, to: 'New' });
    expect(entries[3]).toMatchObject({ text: 'Leaking boots', from: 'new', to: 'open' });
    expect(entries[5]).toMatchObject({ text: 'Checked the order: size 44.' });
    const customer = entries[7];
    expect(customer.text).toBe('I want a refund, the boots leak!');
    expect(customer.detected).toMatchObject({ intent: expect.any(String), sentiment: expect.any(String) });
    expect(all.body.nextCursor).toBeNull();

    // Two at a time: the same entries, none twice, none skipped.
    const paged: Entry[] = [];
    let cursor: string | null = null;
    do {
      const page = await call('GET', `/v1/contacts/${v.contactId}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.body.entries);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(entries.map((e) => e.id));
  });

  it('refuses bad input with the field named, and another workspace sees neither the timeline nor the notes', async () => {
    const ws = await h.signup('timeline-guards');
    const contact = await h.call('POST', '/v1/contacts', { name: 'Lou' }, ws.accessToken);
    const id = contact.body.contact.id as string;
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const r = await h.call(method, path, body, ws.accessToken);
      expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    };
    await bad('GET', `/v1/contacts/${id}/timeline?cursor=nonsense`, undefined, 'cursor');
    await bad('GET', `/v1/contacts/${id}/timeline?limit=0`, undefined, 'limit');
    await bad('POST', `/v1/contacts/${id}/notes`, { content: '' }, 'content');
    await bad('POST', `/v1/contacts/${id}/notes`, {}, 'content');
    expect((await h.call('GET', `/v1/contacts/${randomUUID()}/timeline`, undefined, ws.accessToken)).status).toBe(404);

    const other = await h.signup('timeline-other');
    expect((await h.call('GET', `/v1/contacts/${id}/timeline`, undefined, other.accessToken)).status).toBe(404);
    expect((await h.call('POST', `/v1/contacts/${id}/notes`, { content: 'sneaky' }, other.accessToken)).status).toBe(404);
    expect((await h.call('GET', `/v1/contacts/${id}/timeline`)).status).toBe(401);
    const mine = await h.call('GET', `/v1/contacts/${id}/timeline`, undefined, ws.accessToken);
    expect(mine.body.entries).toEqual([]);
  });
});
