import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { conversations } from '../../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A member with `role`, joined through an invitation from `inviterToken`. */
async function member(inviterToken: string, role: string, name = `${role} person`) {
  const inv = await h.call('POST', '/v1/invitations', { email: `${role}-${randomUUID().slice(0, 8)}@example.com`, role }, inviterToken);
  if (inv.status !== 201) throw new Error(`invite failed: ${JSON.stringify(inv.body)}`);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name, password: 'a long password' });
  return { id: joined.body.user.id as string, token: joined.body.accessToken as string, refreshToken: joined.body.refreshToken as string };
}

const patch = (token: string, id: string, body: unknown) => h.call('PATCH', `/v1/users/${id}`, body, token);
const remove = (token: string, id: string) => h.call('DELETE', `/v1/users/${id}`, undefined, token);

describe('changing and removing members', () => {
  it('changes roles within the granter’s rank, and never demotes the last owner', async () => {
    const ws = await h.signup('roles');
    const admin = await member(ws.accessToken, 'admin');
    const agent = await member(ws.accessToken, 'agent');

    const promoted = await patch(ws.accessToken, agent.id, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.user).toMatchObject({ id: agent.id, role: 'manager' });

    expect((await patch(admin.token, agent.id, { role: 'owner' })).status).toBe(403);
    expect((await patch(admin.token, ws.user.id, { role: 'agent' })).status).toBe(403);
    expect((await patch(agent.token, agent.id, { role: 'admin' })).status).toBe(403);
    expect((await patch(agent.token, admin.id, { name: 'Renamed' })).status).toBe(403);
    // Anyone may fix their own name.
    expect((await patch(agent.token, agent.id, { name: 'Sam Agent' })).body.user.name).toBe('Sam Agent');

    const last = await patch(ws.accessToken, ws.user.id, { role: 'admin' });
    expect(last.status).toBe(409);
    expect(last.body.error.fields[0].field).toBe('role');
    await patch(ws.accessToken, admin.id, { role: 'owner' });
    expect((await patch(ws.accessToken, ws.user.id, { role: 'admin' })).status).toBe(200);
    const roles = (await h.call('GET', '/v1/users', undefined, admin.token)).body.users.map((u: any) => [u.id, u.role]);
    expect(Object.fromEntries(roles)).toEqual({ [ws.user.id]: 'admin', [admin.id]: 'owner', [agent.id]: 'manager' });
  });

  it('lets only one of two owners step down when both try at once', async () => {
    const ws = await h.signup('race');
    const second = await member(ws.accessToken, 'owner');
    const results = await Promise.all([patch(ws.accessToken, ws.user.id, { role: 'admin' }), patch(second.token, second.id, { role: 'admin' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const owners = (await h.call('GET', '/v1/users', undefined, ws.accessToken)).body.users.filter((u: any) => u.role === 'owner');
    expect(owners).toHaveLength(1);
  });

  it('removes a member: their sessions end, invitations they sent stay valid, their conversations are unassigned', async () => {
    const ws = await h.signup('remove');
    const admin = await member(ws.accessToken, 'admin');
    const agent = await member(ws.accessToken, 'agent');
    const invitedByAdmin = await h.call('POST', '/v1/invitations', { email: `later-${randomUUID().slice(0, 8)}@example.com`, role: 'agent' }, admin.token);

    const v = await h.visitor(ws.tenant.widgetKey);
    const conversationId = (await h.call('POST', '/v1/widget/messages', { content: 'Hello', clientMessageId: randomUUID() }, v.sessionToken)).body.conversationId;
    await eventually(async () => (await h.call('POST', `/v1/conversations/${conversationId}/take-over`, {}, agent.token)).status === 200, 'agent takes over');

    expect((await remove(ws.accessToken, agent.id)).status).toBe(204);
    expect((await remove(ws.accessToken, agent.id)).status).toBe(404);
    expect((await h.call('POST', '/v1/auth/refresh', { refreshToken: agent.refreshToken })).status).toBe(401);
    expect((await h.call('GET', '/v1/me', undefined, agent.token)).status).toBe(401);
    const [row] = await h.db.select({ assigneeId: conversations.assigneeId }).from(conversations).where(eq(conversations.id, conversationId));
    expect(row.assigneeId).toBeNull();
    // The workflow forgot them too: taking over keeps an existing assignee, and must not find the removed one.
    expect((await h.call('POST', `/v1/conversations/${conversationId}/hand-back`, {}, ws.accessToken)).status).toBe(200);
    const taken = await h.call('POST', `/v1/conversations/${conversationId}/take-over`, {}, ws.accessToken);
    expect(taken.status).toBe(200);
    expect(taken.body.conversation.assigneeId).toBe(ws.user.id);

    expect((await remove(ws.accessToken, admin.id)).status).toBe(204);
    const joined = await h.call('POST', '/v1/invitations/accept', { token: invitedByAdmin.body.token, name: 'Late Joiner', password: 'a long password' });
    expect(joined.status).toBe(201);
  });

  it('refuses to remove yourself, an owner (unless you are one), or the last owner', async () => {
    const ws = await h.signup('remove-rules');
    const admin = await member(ws.accessToken, 'admin');
    const agent = await member(ws.accessToken, 'agent');
    const self = await remove(ws.accessToken, ws.user.id);
    expect(self.status).toBe(400);
    expect(self.body.error.fields[0].field).toBe('id');
    expect((await remove(admin.token, ws.user.id)).status).toBe(403);
    expect((await remove(agent.token, admin.id)).status).toBe(403);
    expect((await h.call('DELETE', '/v1/users/not-a-uuid', undefined, ws.accessToken)).body.error.fields[0].field).toBe('id');
    const badRole = await patch(ws.accessToken, agent.id, { role: 'emperor' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.fields[0].field).toBe('role');
    expect((await patch(ws.accessToken, agent.id, {})).status).toBe(400);
  });

  it("never reaches another workspace's members", async () => {
    const a = await h.signup('members-a');
    const b = await h.signup('members-b');
    const bAgent = await member(b.accessToken, 'agent');
    expect((await patch(a.accessToken, bAgent.id, { role: 'admin' })).status).toBe(404);
    expect((await patch(a.accessToken, b.user.id, { name: 'Hijacked' })).status).toBe(404);
    expect((await remove(a.accessToken, bAgent.id)).status).toBe(404);
    const users = (await h.call('GET', '/v1/users', undefined, b.accessToken)).body.users;
    expect(users.map((u: any) => u.role).sort()).toEqual(['agent', 'owner']);
    expect(users.find((u: any) => u.id === b.user.id).name).toBe('members-b owner');
  });
});
