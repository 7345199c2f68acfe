import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../../db/client.js';
import { messages } from '../../../db/schema/index.js';
import { conversationWorkflowId } from '../../../temporal/contracts.js';
import { stateQuery } from '../../../workflows/conversation.workflow.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';
import { readFrames } from '../../../scripts/testing/sse-frames.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('widget channel', () => {
  it('answers a visitor message with one AI reply, kept in history', async () => {
    const ws = await h.signup('widget');
    const v = await h.visitor(ws.tenant.widgetKey);
    const sent = await h.call('POST', '/v1/widget/messages', { content: 'Hello', clientMessageId: randomUUID() }, v.sessionToken);
    expect(sent.status).toBe(202);
    expect(sent.body.duplicate).toBe(false);

    const history = await eventually(async () => {
      const r = await h.call('GET', '/v1/widget/messages', undefined, v.sessionToken);
      return r.body.messages.some((m: any) => m.authorRole === 'ai' && m.deliveryStatus === 'sent') && r.body;
    }, 'the AI reply');
    expect(history.conversationId).toBe(sent.body.conversationId);
    expect(history.messages.map((m: any) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(history.messages[1].content).toMatch(/widget workspace/);
  });

  it('turns the same delivery posted 5 times, in sequence and at once, into one message, one processed signal and one reply', async () => {
    const ws = await h.signup('dedupe');
    const v = await h.visitor(ws.tenant.widgetKey);
    const clientMessageId = randomUUID();
    const first = await h.call('POST', '/v1/widget/messages', { content: 'Where is my parcel?', clientMessageId }, v.sessionToken);
    const again = [];
    for (let i = 0; i < 4; i++) again.push(await h.call('POST', '/v1/widget/messages', { content: 'Where is my parcel?', clientMessageId }, v.sessionToken));
    const burstId = randomUUID();
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => h.call('POST', '/v1/widget/messages', { content: 'And my refund?', clientMessageId: burstId }, v.sessionToken)),
    );

    expect(first.body.duplicate).toBe(false);
    expect(again.every((r) => r.status === 202 && r.body.duplicate && r.body.messageId === first.body.messageId)).toBe(true);
    expect(new Set(burst.map((r) => r.body.messageId)).size).toBe(1);
    expect(burst.filter((r) => !r.body.duplicate)).toHaveLength(1);

    const conversationId = first.body.conversationId;
    const handle = h.temporal.workflow.getHandle(conversationWorkflowId(ws.tenant.id, conversationId));
    const state = await eventually(async () => {
      const s = await handle.query(stateQuery);
      return s.handled === 2 && s.pending === 0 && s;
    }, 'both messages handled');
    expect(state.handled).toBe(2);

    const rows = await h.db.select().from(messages).where(and(eq(messages.tenantId, ws.tenant.id), eq(messages.conversationId, conversationId)));
    expect(rows.filter((m) => m.direction === 'inbound')).toHaveLength(2);
    await eventually(async () => (await h.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.authorRole, 'ai')))).length === 2, 'two replies');
    // Give a duplicate reply time to appear if one were coming.
    await new Promise((r) => setTimeout(r, 500));
    const replies = await h.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.authorRole, 'ai')));
    expect(replies).toHaveLength(2);
    expect(new Set(replies.map((r) => r.inReplyTo)).size).toBe(2);
  });

  it('signals a message whose API process died between storing it and signalling it', async () => {
    const ws = await h.signup('sweep');
    const v = await h.visitor(ws.tenant.widgetKey);
    // What a crash leaves behind: the row is committed, no signal was sent.
    const [stored] = await withTenant(h.db, ws.tenant.id, (tx) =>
      tx.execute<{ message_id: string; conversation_id: string }>(
        sql`select * from ingest_inbound_message(${ws.tenant.id}, ${v.contactId}, 'widget', ${'crash-' + randomUUID()}, 'lost?')`,
      ),
    );
    await new Promise((r) => setTimeout(r, 1100));
    expect(await h.signals.sweep({ tenantId: ws.tenant.id })).toBe(1);
    await eventually(async () => {
      const rows = await h.db.select().from(messages).where(and(eq(messages.conversationId, stored.conversation_id), eq(messages.authorRole, 'ai')));
      return rows.length === 1 && rows[0].deliveryStatus === 'sent';
    }, 'reply to the recovered message');
    await eventually(async () => (await h.signals.sweep({ tenantId: ws.tenant.id })) === 0, 'nothing left to sweep');
  });

  it('pushes replies live over SSE and replays what was missed after Last-Event-ID', async () => {
    const ws = await h.signup('sse');
    const v = await h.visitor(ws.tenant.widgetKey);
    const res = await h.app.request(`/v1/widget/events?token=${v.sessionToken}`);
    expect(res.status).toBe(200);
    const stream = readFrames(res);
    const seenNow = () => stream.frames.filter((f) => f.event === 'message' && f.data).map((f) => ({ id: Number(f.id), ...JSON.parse(f.data) }));
    await new Promise((r) => setTimeout(r, 200));
    await h.call('POST', '/v1/widget/messages', { content: 'hi there', clientMessageId: randomUUID() }, v.sessionToken);
    await eventually(async () => seenNow().some((e) => e.message.authorRole === 'ai' && e.message.deliveryStatus === 'sent'), 'live AI reply');
    await stream.stop();
    const seen = seenNow();
    expect(seen.some((e) => e.message.authorRole === 'customer')).toBe(true);
    // Visitors never see unsent drafts.
    expect(seen.every((e) => e.message.deliveryStatus !== 'queued')).toBe(true);

    const firstId = seen[0].id;
    const replay = await h.app.request(`/v1/widget/events?token=${v.sessionToken}&since=${firstId}`);
    const reader2 = replay.body!.getReader();
    let text = '';
    while (!text.includes('"authorRole":"ai"')) text += new TextDecoder().decode((await reader2.read()).value);
    await reader2.cancel();
    // Everything after the last seen id comes again, in id order (a short overlap before it may too).
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(Math.max(...ids)).toBeGreaterThan(firstId);
  });

  it("never joins a visitor to another contact's conversations on an unverified email", async () => {
    const ws = await h.signup('identity');
    const victim = await h.visitor(ws.tenant.widgetKey, { email: 'jane@example.com' });
    await h.call('POST', '/v1/widget/messages', { content: 'my order 1234 to Elm Street 5', clientMessageId: randomUUID() }, victim.sessionToken);
    const attacker = await h.visitor(ws.tenant.widgetKey, { email: 'Jane@Example.com' });
    expect(attacker.contactId).not.toBe(victim.contactId);
    const seen = await h.call('GET', '/v1/widget/messages', undefined, attacker.sessionToken);
    expect(seen.body.messages).toEqual([]);

    // The same visitor coming back (same visitor id) is the same contact, and may add details.
    const resumed = await h.visitor(ws.tenant.widgetKey, { visitorId: victim.visitorId, name: 'Jane' });
    expect(resumed.contactId).toBe(victim.contactId);
    const history = await h.call('GET', '/v1/widget/messages', undefined, resumed.sessionToken);
    expect(history.body.messages[0].content).toBe('my order 1234 to Elm Street 5');
  });

  it('rejects bad input with 4xx errors that name the field', async () => {
    const ws = await h.signup('widget-bad');
    const unknown = await h.call('POST', '/v1/widget/sessions', { widgetKey: 'wk_nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields[0].field).toBe('widgetKey');

    const badEmail = await h.call('POST', '/v1/widget/sessions', { widgetKey: ws.tenant.widgetKey, email: 'not-an-email' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.fields.map((f: any) => f.field)).toContain('email');

    const v = await h.visitor(ws.tenant.widgetKey);
    const empty = await h.call('POST', '/v1/widget/messages', { content: '   ', clientMessageId: randomUUID() }, v.sessionToken);
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].field).toBe('content');

    const nul = await h.call('POST', '/v1/widget/messages', { content: 'hi\u0000there', clientMessageId: randomUUID() }, v.sessionToken);
    expect(nul.status).toBe(400);
    expect(nul.body.error.fields[0].field).toBe('content');

    const malformed = await h.call('POST', '/v1/widget/messages', '{"content": ', v.sessionToken);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad_request');

    const noToken = await h.call('GET', '/v1/widget/messages');
    expect(noToken.status).toBe(401);
    const agentToken = await h.call('GET', '/v1/widget/messages', undefined, ws.accessToken);
    expect(agentToken.status).toBe(401);
  });
});
