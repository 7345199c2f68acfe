import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false, config: { PUBLIC_URL: 'https://api.example.test/' } });
});
afterAll(async () => h?.close());

describe('widget settings', () => {
  it('shows the defaults and an embed snippet, and keeps each change', async () => {
    const ws = await h.signup('widget-settings');
    const got = await h.call('GET', '/v1/workspace/widget', undefined, ws.accessToken);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      widgetKey: ws.tenant.widgetKey,
      color: '#3b5bdb',
      greeting: 'Hi! How can we help?',
      preChatForm: false,
      embedSnippet: `<script src="https://api.example.test/widget.js" data-key="${ws.tenant.widgetKey}" async></script>`,
    });

    const colour = await h.call('PATCH', '/v1/workspace/widget', { color: '#112233' }, ws.accessToken);
    expect(colour.status).toBe(200);
    expect(colour.body).toMatchObject({ color: '#112233', greeting: 'Hi! How can we help?' });
    // A later change to another setting keeps the first.
    await h.call('PATCH', '/v1/workspace/widget', { greeting: '  Hello there  ', preChatForm: true }, ws.accessToken);
    const after = await h.call('GET', '/v1/workspace/widget', undefined, ws.accessToken);
    expect(after.body).toMatchObject({ color: '#112233', greeting: 'Hello there', preChatForm: true });
  });

  it('rejects bad settings with the field named, and agents', async () => {
    const ws = await h.signup('widget-bad');
    for (const [body, field] of [
      [{ color: 'red' }, 'color'],
      [{ greeting: '' }, 'greeting'],
      [{ preChatForm: 'yes' }, 'preChatForm'],
    ] as const) {
      const r = await h.call('PATCH', '/v1/workspace/widget', body, ws.accessToken);
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].field).toBe(field);
    }
    expect((await h.call('PATCH', '/v1/workspace/widget', {}, ws.accessToken)).status).toBe(400);
    expect((await h.call('PATCH', '/v1/workspace/widget', { widgetKey: 'mine' }, ws.accessToken)).status).toBe(400);

    const inv = await h.call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = (await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Al', password: 'a long password' })).body.accessToken;
    expect((await h.call('GET', '/v1/workspace/widget', undefined, agent)).status).toBe(200);
    expect((await h.call('PATCH', '/v1/workspace/widget', { color: '#000000' }, agent)).status).toBe(403);
    expect((await h.call('GET', '/v1/workspace/widget')).status).toBe(401);
  });

  it("never shows or changes another workspace's widget", async () => {
    const a = await h.signup('widget-a');
    const b = await h.signup('widget-b');
    await h.call('PATCH', '/v1/workspace/widget', { color: '#abcdef' }, a.accessToken);
    const bView = await h.call('GET', '/v1/workspace/widget', undefined, b.accessToken);
    expect(bView.body).toMatchObject({ widgetKey: b.tenant.widgetKey, color: '#3b5bdb' });
  });
});

describe('workspace calendar', () => {
  it('keeps the time zone, business hours and ticket auto-close, and refuses what is not one', async () => {
    const ws = await h.signup('calendar');
    const before = await h.call('GET', '/v1/workspace', undefined, ws.accessToken);
    expect(before.body).toMatchObject({ timezone: 'UTC', businessHours: null, ticketAutoCloseDays: 7 });
    const set = await h.call('PATCH', '/v1/workspace', { timezone: 'Europe/Amsterdam', businessHours: { days: [1, 2, 3, 4, 5, 6], openMinute: 480, closeMinute: 1080 }, ticketAutoCloseDays: 3 }, ws.accessToken);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ timezone: 'Europe/Amsterdam', businessHours: { days: [1, 2, 3, 4, 5, 6], openMinute: 480, closeMinute: 1080 }, ticketAutoCloseDays: 3 });
    const badZone = await h.call('PATCH', '/v1/workspace', { timezone: 'Mars/Olympus' }, ws.accessToken);
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.fields[0].field).toBe('timezone');
    const badHours = await h.call('PATCH', '/v1/workspace', { businessHours: { days: [1], openMinute: 600, closeMinute: 540 } }, ws.accessToken);
    expect(badHours.body.error.fields[0].field).toBe('businessHours.closeMinute');
  });
});
