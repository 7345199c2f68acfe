import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

const CONFIG = {
  name: 'Nora',
  guidance: { tone: 'friendly', rules: ['Never promise delivery dates.'] },
  escalation: [{ id: 'refunds', any: [{ attribute: 'intent', op: 'eq', value: 'return_refund' }], team: 'billing', priority: 'high' }],
};

describe('AI agent configuration', () => {
  it('serves defaults, stores validated versions in MongoDB and switches the active one', async () => {
    const ws = await h.signup('agentcfg');
    const initial = await h.call('GET', '/v1/agent', undefined, ws.accessToken);
    expect(initial.body.activeVersion).toBe(0);
    expect(initial.body.config.tools.requireApproval).toEqual(['issue_refund', 'merge_contacts', 'export_contacts']);

    const v1 = await h.call('POST', '/v1/agent/versions', CONFIG, ws.accessToken);
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, createdBy: ws.user.id, config: { name: 'Nora', escalation: [{ team: 'billing' }] } });
    const v2 = await h.call('POST', '/v1/agent/versions', { ...CONFIG, name: 'Nora 2' }, ws.accessToken);
    expect(v2.body.version).toBe(2);
    expect((await h.call('GET', '/v1/agent', undefined, ws.accessToken)).body.activeVersion).toBe(0);

    expect((await h.call('POST', '/v1/agent/versions/1/activate', {}, ws.accessToken)).body.activeVersion).toBe(1);
    const active = await h.call('GET', '/v1/agent', undefined, ws.accessToken);
    expect(active.body).toMatchObject({ activeVersion: 1, config: { name: 'Nora' } });
    expect((await h.call('GET', '/v1/agent/versions', undefined, ws.accessToken)).body.versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect((await h.call('GET', '/v1/agent/versions/2', undefined, ws.accessToken)).body.config.name).toBe('Nora 2');
  });

  it('rejects invalid configurations naming the field, and lets only owners and admins write', async () => {
    const ws = await h.signup('agentcfg-bad');
    const bad = await h.call(
      'POST',
      '/v1/agent/versions',
      { guidance: { tone: 'sarcastic' }, guardrails: [{ id: 'x', stage: 'input', kind: 'regex', pattern: '(', action: 'block' }], tools: { enabled: ['launch_rockets'] } },
      ws.accessToken,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field)).toEqual(expect.arrayContaining(['guidance.tone', 'guardrails.0.pattern', 'tools.enabled.0']));
    expect((await h.call('POST', '/v1/agent/versions/7/activate', {}, ws.accessToken)).status).toBe(404);
    expect((await h.call('GET', '/v1/agent/versions/abc', undefined, ws.accessToken)).status).toBe(400);

    const inv = await h.call('POST', '/v1/invitations', { email: `cfg-agent-${Date.now()}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ag', password: 'a long password' });
    expect((await h.call('GET', '/v1/agent', undefined, agent.body.accessToken)).status).toBe(200);
    expect((await h.call('POST', '/v1/agent/versions', CONFIG, agent.body.accessToken)).status).toBe(403);
  });

  it("never shows or activates another workspace's versions", async () => {
    const a = await h.signup('agentcfg-a');
    await h.call('POST', '/v1/agent/versions', { ...CONFIG, name: 'Secret' }, a.accessToken);
    const b = await h.signup('agentcfg-b');
    expect((await h.call('GET', '/v1/agent/versions/1', undefined, b.accessToken)).status).toBe(404);
    expect((await h.call('POST', '/v1/agent/versions/1/activate', {}, b.accessToken)).status).toBe(404);
    expect((await h.call('GET', '/v1/agent/versions', undefined, b.accessToken)).body.versions).toEqual([]);
  });
});
