import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { contacts, tenants } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';
import { readFrames } from '../../../scripts/testing/sse-frames.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** The stream's frames with ids, their data parsed. */
function collect(res: Response) {
  const stream = readFrames(res);
  return {
    get frames() {
      return stream.frames.filter((f) => f.id && f.data).map((f) => ({ id: Number(f.id), event: f.event, data: JSON.parse(f.data) }));
    },
    stop: stream.stop,
  };
}

describe('widget settings, pre-chat details and the owner signal', () => {
  it("serves the workspace's widget settings over the defaults by public key", async () => {
    const ws = await h.signup('widget-config');
    const defaults = await h.call('GET', `/v1/widget/config?key=${ws.tenant.widgetKey}`);
    expect(defaults.status).toBe(200);
    expect(defaults.body).toEqual({ color: '#3b5bdb', greeting: 'Hi! How can we help?', preChatForm: false });

    await h.db.update(tenants).set({ widgetSettings: { color: '#0f766e', preChatForm: true } }).where(eq(tenants.id, ws.tenant.id));
    const saved = await h.call('GET', `/v1/widget/config?key=${ws.tenant.widgetKey}`);
    expect(saved.body).toEqual({ color: '#0f766e', greeting: 'Hi! How can we help?', preChatForm: true });

    // Another workspace's key gives that workspace's settings, never these.
    const other = await h.signup('widget-config-other');
    expect((await h.call('GET', `/v1/widget/config?key=${other.tenant.widgetKey}`)).body.color).toBe('#3b5bdb');
  });

  it('serves the built widget and a demo store that embeds it with one script tag', async () => {
    const script = await h.app.request('/widget.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toMatch(/^\(function\(\)\{"use strict";/);
    const demo = await (await h.app.request('http://127.0.0.1:8000/widget/demo?key=wk_demo_key')).text();
    expect(demo).toContain('Northwind Outfitters');
    expect(demo.match(/<script\b[^>]*>/g)).toEqual(['<script src="http://127.0.0.1:8000/widget.js" data-key="wk_demo_key" async>']);
  });

  it('answers 400 naming key when it is missing, and 404 for an unknown key', async () => {
    const missing = await h.call('GET', '/v1/widget/config');
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: any) => f.field)).toContain('key');
    const unknown = await h.call('GET', '/v1/widget/config?key=wk_nobody_has_this');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields[0].field).toBe('key');
    const nul = await h.call('GET', '/v1/widget/config?key=wk_a%00b');
    expect(nul.status).toBe(400);
    expect(nul.body.error.fields[0].field).toBe('key');
  });

  it('gives the pre-chat name and email to the contact the session creates', async () => {
    const ws = await h.signup('prechat');
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Jane Doe', email: 'Jane@Example.com' });
    const [contact] = await h.db.select().from(contacts).where(eq(contacts.id, v.contactId));
    expect(contact).toMatchObject({ tenantId: ws.tenant.id, name: 'Jane Doe', email: 'jane@example.com' });
    const bad = await h.call('POST', '/v1/widget/sessions', { widgetKey: ws.tenant.widgetKey, name: 'Jane', email: 'jane@' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field)).toEqual(['email']);
  });

  it("tells the visitor who owns the conversation, live, without the agent's identity", async () => {
    const ws = await h.signup('owner-signal');
    const v = await h.visitor(ws.tenant.widgetKey);
    const before = await h.call('GET', '/v1/widget/messages', undefined, v.sessionToken);
    expect(before.body).toEqual({ conversationId: null, owner: null, messages: [] });

    const sent = await h.call('POST', '/v1/widget/messages', { content: 'Hi', clientMessageId: randomUUID() }, v.sessionToken);
    const conversationId = sent.body.conversationId;
    await eventually(async () => (await h.call('GET', '/v1/widget/messages', undefined, v.sessionToken)).body.messages.length === 2, 'the AI reply');
    expect((await h.call('GET', '/v1/widget/messages', undefined, v.sessionToken)).body.owner).toBe('ai');

    const stream = collect(await h.app.request('/v1/widget/events', { headers: { authorization: `Bearer ${v.sessionToken}` } }));
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.call('POST', `/v1/conversations/${conversationId}/take-over`, {}, ws.accessToken)).status).toBe(200);
    const event = await eventually(async () => stream.frames.find((f) => f.event === 'conversation' && f.data.conversation.owner === 'human'), 'the owner event');
    await stream.stop();
    expect(event.data.conversation).toEqual({ id: conversationId, status: 'open', owner: 'human', assigneeId: null, channel: 'widget' });
    expect(JSON.stringify(stream.frames)).not.toContain(ws.user.id);
    expect((await h.call('GET', '/v1/widget/messages', undefined, v.sessionToken)).body.owner).toBe('human');

    // Another visitor of the same workspace hears nothing about this conversation.
    const stranger = await h.visitor(ws.tenant.widgetKey);
    const replay = collect(await h.app.request('/v1/widget/events?since=0', { headers: { authorization: `Bearer ${stranger.sessionToken}` } }));
    await new Promise((r) => setTimeout(r, 300));
    await replay.stop();
    expect(replay.frames).toEqual([]);
  });
});
