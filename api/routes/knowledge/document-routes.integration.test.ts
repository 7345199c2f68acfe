import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { kbChunks } from '../../../db/schema/index.js';
import { loadIndex } from '../../../activities/knowledge/store.js';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

const SHIPPING = '# Shipping\n\n- Standard delivery takes 1–2 business days and costs €4.95.\n- Express delivery costs €9.95.';

describe('knowledge-base documents', () => {
  it('indexes, re-indexes without stale chunks, and deletes', async () => {
    const ws = await h.signup('kb');
    const created = await h.call('POST', '/v1/knowledge/documents', { title: 'Shipping', content: SHIPPING }, ws.accessToken);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Shipping', format: 'markdown', chunkCount: 2 });
    const id = created.body.id;
    expect((await h.call('GET', '/v1/knowledge/documents', undefined, ws.accessToken)).body.documents.map((d: any) => d.id)).toEqual([id]);
    expect((await h.call('GET', `/v1/knowledge/documents/${id}`, undefined, ws.accessToken)).body.content).toBe(SHIPPING);
    expect((await loadIndex(h.db, ws.tenant.id)).search('express cost')[0].chunk.content).toContain('€9.95');

    const html = '<h1>Shipping</h1><p>Express delivery now costs €12.50.</p>';
    const replaced = await h.call('PUT', `/v1/knowledge/documents/${id}`, { title: 'Shipping', content: html, format: 'html' }, ws.accessToken);
    expect(replaced.body.chunkCount).toBe(1);
    const chunks = await h.db.select().from(kbChunks).where(eq(kbChunks.documentId, id));
    expect(chunks.map((c) => c.content)).toEqual(['Express delivery now costs €12.50.']);
    expect((await loadIndex(h.db, ws.tenant.id)).search('express cost')[0].chunk.content).toContain('€12.50');

    expect((await h.call('DELETE', `/v1/knowledge/documents/${id}`, undefined, ws.accessToken)).status).toBe(204);
    expect(await h.db.select().from(kbChunks).where(eq(kbChunks.documentId, id))).toEqual([]);
    expect((await loadIndex(h.db, ws.tenant.id)).search('express cost')).toEqual([]);
  });

  it('rejects bad input naming the field, and lets agents read but not edit', async () => {
    const ws = await h.signup('kb-bad');
    const bad = await h.call('POST', '/v1/knowledge/documents', { title: '', content: 'x', format: 'pdf' }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['format', 'title']);
    const inv = await h.call('POST', '/v1/invitations', { email: `kb-agent-${Date.now()}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ag', password: 'a long password' });
    expect((await h.call('GET', '/v1/knowledge/documents', undefined, agent.body.accessToken)).status).toBe(200);
    expect((await h.call('POST', '/v1/knowledge/documents', { title: 't', content: 'c' }, agent.body.accessToken)).status).toBe(403);
  });

  it("answers 404 for another workspace's document on every route", async () => {
    const owner = await h.signup('kb-owner');
    const doc = (await h.call('POST', '/v1/knowledge/documents', { title: 'Secret', content: 'internal price list' }, owner.accessToken)).body;
    const other = await h.signup('kb-other');
    for (const [method, body] of [['GET'], ['PUT', { title: 'x', content: 'y' }], ['DELETE']] as const) {
      expect((await h.call(method, `/v1/knowledge/documents/${doc.id}`, body, other.accessToken)).status, method).toBe(404);
    }
    expect((await h.call('GET', `/v1/knowledge/documents/${randomUUID()}`, undefined, other.accessToken)).status).toBe(404);
    expect((await h.call('GET', '/v1/knowledge/documents', undefined, other.accessToken)).body.documents).toEqual([]);
    expect((await loadIndex(h.db, other.tenant.id)).search('price list')).toEqual([]);
  });
});
