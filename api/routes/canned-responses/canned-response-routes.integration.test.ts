import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

async function agentOf(ownerToken: string) {
  const inv = await h.call('POST', '/v1/invitations', { email: `agent-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, ownerToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ann Agent', password: 'a long password' });
  return joined.body.accessToken as string;
}

const create = (token: string, shortcut: string, content: string) => h.call('POST', '/v1/canned-responses', { shortcut, content }, token);

describe('canned responses', () => {
  it('creates, searches, edits and deletes', async () => {
    const ws = await h.signup('canned');
    const made = await create(ws.accessToken, 'Refund', 'We have refunded your order.');
    expect(made.status).toBe(201);
    expect(made.body.cannedResponse).toMatchObject({ shortcut: 'refund', content: 'We have refunded your order.' });
    await create(ws.accessToken, 'hours', 'We are open 9 to 5; refunds take a day.');
    await create(ws.accessToken, 'greet', 'Hello!');

    const all = await h.call('GET', '/v1/canned-responses', undefined, ws.accessToken);
    expect(all.body.cannedResponses.map((r: any) => r.shortcut)).toEqual(['greet', 'hours', 'refund']);
    // A shortcut prefix ranks above a match in another's content; `/` as typed in the reply box is ignored.
    const refund = await h.call('GET', '/v1/canned-responses?q=%2Fref', undefined, ws.accessToken);
    expect(refund.body.cannedResponses.map((r: any) => r.shortcut)).toEqual(['refund', 'hours']);
    const none = await h.call('GET', '/v1/canned-responses?q=%25', undefined, ws.accessToken);
    expect(none.body.cannedResponses).toEqual([]);

    // Agents read them but cannot change them.
    const agent = await agentOf(ws.accessToken);
    expect((await h.call('GET', '/v1/canned-responses?q=hello', undefined, agent)).body.cannedResponses).toHaveLength(1);
    expect((await create(agent, 'mine', 'x')).status).toBe(403);

    const id = made.body.cannedResponse.id;
    const edited = await h.call('PATCH', `/v1/canned-responses/${id}`, { content: 'Refund sent.' }, ws.accessToken);
    expect(edited.status).toBe(200);
    expect(edited.body.cannedResponse).toMatchObject({ shortcut: 'refund', content: 'Refund sent.' });
    expect((await h.call('DELETE', `/v1/canned-responses/${id}`, undefined, ws.accessToken)).status).toBe(204);
    expect((await h.call('GET', '/v1/canned-responses?q=refund', undefined, ws.accessToken)).body.cannedResponses.map((r: any) => r.shortcut)).toEqual(['hours']);
  });

  it('rejects bad shortcuts and duplicates with the field named', async () => {
    const ws = await h.signup('canned-bad');
    for (const shortcut of ['', 'has space', 'x'.repeat(33), 'émoji']) {
      const r = await create(ws.accessToken, shortcut, 'text');
      expect(r.status, shortcut).toBe(400);
      expect(r.body.error.fields[0].field).toBe('shortcut');
    }
    const noContent = await create(ws.accessToken, 'ok', ' ');
    expect(noContent.body.error.fields[0].field).toBe('content');
    await create(ws.accessToken, 'thanks', 'Thank you!');
    const dup = await create(ws.accessToken, 'THANKS', 'Thanks again');
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].field).toBe('shortcut');
    const other = await create(ws.accessToken, 'bye', 'Bye');
    const renameDup = await h.call('PATCH', `/v1/canned-responses/${other.body.cannedResponse.id}`, { shortcut: 'thanks' }, ws.accessToken);
    expect(renameDup.status).toBe(409);
    expect(renameDup.body.error.fields[0].field).toBe('shortcut');
    const nul = await h.call('GET', '/v1/canned-responses?q=re%00fund', undefined, ws.accessToken);
    expect(nul.status).toBe(400);
    expect(nul.body.error.fields[0].field).toBe('q');
  });

  it("never reaches another workspace's canned responses", async () => {
    const a = await h.signup('canned-a');
    const b = await h.signup('canned-b');
    const mine = (await create(a.accessToken, 'secret', 'A only')).body.cannedResponse;
    expect((await h.call('GET', '/v1/canned-responses', undefined, b.accessToken)).body.cannedResponses).toEqual([]);
    expect((await h.call('PATCH', `/v1/canned-responses/${mine.id}`, { content: 'B was here' }, b.accessToken)).status).toBe(404);
    expect((await h.call('DELETE', `/v1/canned-responses/${mine.id}`, undefined, b.accessToken)).status).toBe(404);
    // The same shortcut is free in another workspace.
    expect((await create(b.accessToken, 'secret', 'B only')).status).toBe(201);
    expect((await h.call('GET', '/v1/canned-responses', undefined, a.accessToken)).body.cannedResponses[0].content).toBe('A only');
  });
});
