import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

async function invite(token: string, email: string, role: string) {
  return h.call('POST', '/v1/invitations', { email, role }, token);
}

describe('users and invitations', () => {
  it('invites a user with a role, who joins the inviting workspace', async () => {
    const ws = await h.signup('team');
    const inv = await invite(ws.accessToken, `agent-${Date.now()}@example.com`, 'agent');
    expect(inv.status).toBe(201);
    // The web app's accept page is where the link points; only the inviter ever sees the token.
    expect(inv.body.acceptPath).toBe(`/invite/${inv.body.token}`);
    const pending = await h.call('GET', '/v1/invitations', undefined, ws.accessToken);
    expect(pending.body.invitations).toEqual([{ id: inv.body.id, email: inv.body.email, role: 'agent', expiresAt: inv.body.expiresAt, acceptedAt: null }]);
    const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ann Agent', password: 'a long password' });
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({ role: 'agent', tenantId: ws.tenant.id });
    const again = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ann Agent', password: 'a long password' });
    expect(again.status).toBe(404);

    const list = await h.call('GET', '/v1/users', undefined, ws.accessToken);
    expect(list.body.users.map((u: any) => u.role).sort()).toEqual(['agent', 'owner']);
    const accepted = await h.call('GET', '/v1/invitations', undefined, joined.body.accessToken);
    expect(accepted.body.invitations[0].acceptedAt).toEqual(expect.any(String));
    expect(JSON.stringify(accepted.body)).not.toContain(inv.body.token);

    // The matrix: agents cannot invite; admins cannot make owners.
    const asAgent = await invite(joined.body.accessToken, 'x@example.com', 'agent');
    expect(asAgent.status).toBe(403);
    const adminInv = await invite(ws.accessToken, `admin-${Date.now()}@example.com`, 'admin');
    const admin = await h.call('POST', '/v1/invitations/accept', { token: adminInv.body.token, name: 'Ada Admin', password: 'a long password' });
    expect((await invite(admin.body.accessToken, 'o@example.com', 'owner')).status).toBe(403);
    expect((await invite(admin.body.accessToken, `m-${Date.now()}@example.com`, 'manager')).status).toBe(201);
  });

  it('rejects bad invitations with the field named', async () => {
    const ws = await h.signup('badinv');
    const bad = await invite(ws.accessToken, 'not-an-email', 'emperor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['email', 'role']);
    const taken = await invite(ws.accessToken, ws.email, 'agent');
    expect(taken.status).toBe(409);
    expect((await h.call('GET', '/v1/users')).status).toBe(401);
  });

  it("never shows another workspace's users", async () => {
    const a = await h.signup('iso-a');
    const b = await h.signup('iso-b');
    const list = await h.call('GET', '/v1/users', undefined, a.accessToken);
    expect(list.body.users.map((u: any) => u.id)).toEqual([a.user.id]);
    expect(list.body.users.map((u: any) => u.id)).not.toContain(b.user.id);
    await invite(b.accessToken, `b-only-${Date.now()}@example.com`, 'agent');
    expect((await h.call('GET', '/v1/invitations', undefined, a.accessToken)).body.invitations).toEqual([]);
  });

  it('lets owners and admins change the idle auto-close, and nobody else', async () => {
    const ws = await h.signup('settings');
    const got = await h.call('GET', '/v1/workspace', undefined, ws.accessToken);
    expect(got.body).toMatchObject({ id: ws.tenant.id, idleAutoCloseMinutes: 1440 });
    const changed = await h.call('PATCH', '/v1/workspace', { idleAutoCloseMinutes: 60 }, ws.accessToken);
    expect(changed.status).toBe(200);
    expect(changed.body.idleAutoCloseMinutes).toBe(60);

    const bad = await h.call('PATCH', '/v1/workspace', { idleAutoCloseMinutes: 0 }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('idleAutoCloseMinutes');
    expect((await h.call('PATCH', '/v1/workspace', {}, ws.accessToken)).status).toBe(400);

    const inv = await invite(ws.accessToken, `agent-s-${Date.now()}@example.com`, 'agent');
    const agent = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Al', password: 'a long password' });
    expect((await h.call('PATCH', '/v1/workspace', { idleAutoCloseMinutes: 30 }, agent.body.accessToken)).status).toBe(403);
    // Another workspace's settings are out of reach: the route only ever reads the caller's own.
    const other = await h.signup('settings-other');
    expect((await h.call('GET', '/v1/workspace', undefined, other.accessToken)).body.idleAutoCloseMinutes).toBe(1440);
  });
});
