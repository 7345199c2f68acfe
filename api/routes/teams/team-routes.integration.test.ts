import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

/** A member of `ws` with `role`, joined through an invitation. */
async function member(ownerToken: string, role: string, name: string) {
  const inv = await h.call('POST', '/v1/invitations', { email: `${role}-${randomUUID().slice(0, 8)}@example.com`, role }, ownerToken);
  const joined = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name, password: 'a long password' });
  return { id: joined.body.user.id as string, token: joined.body.accessToken as string };
}

describe('teams', () => {
  it('creates, renames, staffs and deletes a team', async () => {
    const ws = await h.signup('teams');
    const agent = await member(ws.accessToken, 'agent', 'Ann Agent');
    const created = await h.call('POST', '/v1/teams', { name: 'Billing', description: 'Refunds and invoices' }, ws.accessToken);
    expect(created.status).toBe(201);
    expect(created.body.team).toMatchObject({ name: 'Billing', description: 'Refunds and invoices', members: [] });
    const id = created.body.team.id;

    const staffed = await h.call('PUT', `/v1/teams/${id}/members`, { userIds: [agent.id, ws.user.id, agent.id] }, ws.accessToken);
    expect(staffed.status).toBe(200);
    expect(staffed.body.team.members.map((m: any) => m.name)).toEqual(['Ann Agent', 'teams owner']);
    expect(staffed.body.team.members[0]).toMatchObject({ id: agent.id, role: 'agent', email: expect.stringContaining('@example.com') });

    const renamed = await h.call('PATCH', `/v1/teams/${id}`, { name: 'Payments' }, ws.accessToken);
    expect(renamed.body.team).toMatchObject({ name: 'Payments', description: 'Refunds and invoices' });
    expect(renamed.body.team.members).toHaveLength(2);

    // Any member reads teams; replacing membership really replaces it.
    await h.call('PUT', `/v1/teams/${id}/members`, { userIds: [agent.id] }, ws.accessToken);
    const asAgent = await h.call('GET', '/v1/teams', undefined, agent.token);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body.teams).toEqual([{ id, name: 'Payments', description: 'Refunds and invoices', members: [expect.objectContaining({ id: agent.id })] }]);

    expect((await h.call('DELETE', `/v1/teams/${id}`, undefined, ws.accessToken)).status).toBe(204);
    expect((await h.call('GET', '/v1/teams', undefined, ws.accessToken)).body.teams).toEqual([]);
    expect((await h.call('DELETE', `/v1/teams/${id}`, undefined, ws.accessToken)).status).toBe(404);
  });

  it('rejects bad input and duplicate names with the field named', async () => {
    const ws = await h.signup('teams-bad');
    const blank = await h.call('POST', '/v1/teams', { name: '   ' }, ws.accessToken);
    expect(blank.status).toBe(400);
    expect(blank.body.error.fields[0].field).toBe('name');

    const first = await h.call('POST', '/v1/teams', { name: 'Sales' }, ws.accessToken);
    const dup = await h.call('POST', '/v1/teams', { name: 'Sales' }, ws.accessToken);
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].field).toBe('name');
    const other = await h.call('POST', '/v1/teams', { name: 'Support' }, ws.accessToken);
    const renameDup = await h.call('PATCH', `/v1/teams/${other.body.team.id}`, { name: 'Sales' }, ws.accessToken);
    expect(renameDup.status).toBe(409);
    expect((await h.call('PATCH', `/v1/teams/${other.body.team.id}`, {}, ws.accessToken)).status).toBe(400);

    const unknown = await h.call('PUT', `/v1/teams/${first.body.team.id}/members`, { userIds: [randomUUID()] }, ws.accessToken);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].field).toBe('userIds');
    const notUuid = await h.call('PUT', `/v1/teams/${first.body.team.id}/members`, { userIds: ['nope'] }, ws.accessToken);
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.fields[0].field).toBe('userIds.0');
  });

  it('lets managers manage teams but not agents', async () => {
    const ws = await h.signup('teams-roles');
    const manager = await member(ws.accessToken, 'manager', 'Meg Manager');
    const agent = await member(ws.accessToken, 'agent', 'Al Agent');
    expect((await h.call('POST', '/v1/teams', { name: 'Leads' }, manager.token)).status).toBe(201);
    expect((await h.call('POST', '/v1/teams', { name: 'Rogue' }, agent.token)).status).toBe(403);
    expect((await h.call('GET', '/v1/teams')).status).toBe(401);
  });

  it("never reaches another workspace's teams or users", async () => {
    const a = await h.signup('teams-a');
    const b = await h.signup('teams-b');
    const team = (await h.call('POST', '/v1/teams', { name: 'Alpha' }, a.accessToken)).body.team;
    expect((await h.call('GET', '/v1/teams', undefined, b.accessToken)).body.teams).toEqual([]);
    expect((await h.call('PATCH', `/v1/teams/${team.id}`, { name: 'Stolen' }, b.accessToken)).status).toBe(404);
    expect((await h.call('PUT', `/v1/teams/${team.id}/members`, { userIds: [] }, b.accessToken)).status).toBe(404);
    expect((await h.call('DELETE', `/v1/teams/${team.id}`, undefined, b.accessToken)).status).toBe(404);
    // B's own team cannot take in A's owner.
    const bTeam = (await h.call('POST', '/v1/teams', { name: 'Beta' }, b.accessToken)).body.team;
    const cross = await h.call('PUT', `/v1/teams/${bTeam.id}/members`, { userIds: [a.user.id] }, b.accessToken);
    expect(cross.status).toBe(400);
    expect(cross.body.error.fields[0].field).toBe('userIds');
    // The same name is fine in another workspace.
    expect((await h.call('POST', '/v1/teams', { name: 'Alpha' }, b.accessToken)).status).toBe(201);
  });
});
