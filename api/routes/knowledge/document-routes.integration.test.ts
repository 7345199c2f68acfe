import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { kbChunks } from '../../../db/schema/index.js';
import { OPENAI_EMBEDDING_MODEL } from '../../../activities/knowledge/embedder.js';
import { searchKnowledge } from '../../../activities/knowledge/retrieve.js';
import { loadIndex } from '../../../activities/knowledge/store.js';
import { parseMasterKey } from '../../../db/credential-crypto.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../../scripts/testing/fake-openai-server.js';
import { TEST_CREDENTIALS_KEY, eventually, startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
let fake: FakeOpenAi;
const FAKE_KEY = `sk-kb-${randomUUID()}`;
beforeAll(async () => {
  h = await startHarness();
  fake = await startFakeOpenAi(FAKE_KEY);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const SHIPPING = '# Shipping\n\n- Standard delivery takes 1–2 business days and costs €4.95.\n- Express delivery costs €9.95.';
/** 250 chunks: more than the request indexes inline, so a workflow indexes it in three batches. */
const CATALOGUE = `# Catalogue\n\n${Array.from({ length: 250 }, (_, i) => `- Item ${i} ships in ${(i % 5) + 1} days.`).join('\n')}`;

const upload = async (token: string, fields: Record<string, string | File>, path = '/v1/knowledge/documents', method = 'POST') => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await h.app.request(path, { method, headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
};
const chunksOf = (id: string) => h.db.select().from(kbChunks).where(eq(kbChunks.documentId, id));
const readyDoc = (id: string, token: string) =>
  eventually(async () => {
    const r = await h.call('GET', `/v1/knowledge/documents/${id}`, undefined, token);
    return r.body.status !== 'indexing' && r.body;
  }, `document ${id} indexed`);

describe('knowledge-base documents', () => {
  it('indexes, re-indexes without stale chunks, and deletes', async () => {
    const ws = await h.signup('kb');
    const created = await h.call('POST', '/v1/knowledge/documents', { title: 'Shipping', content: SHIPPING }, ws.accessToken);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Shipping', format: 'markdown', chunkCount: 2, status: 'ready', chunksTotal: 2, chunksDone: 2, error: null, embeddingModel: 'local-hash-512' });
    const id = created.body.id;
    expect((await h.call('GET', '/v1/knowledge/documents', undefined, ws.accessToken)).body.documents.map((d: any) => d.id)).toEqual([id]);
    expect((await h.call('GET', `/v1/knowledge/documents/${id}`, undefined, ws.accessToken)).body.content).toBe(SHIPPING);
    expect((await loadIndex(h.db, ws.tenant.id)).search('express cost')[0].chunk.content).toContain('€9.95');

    const html = '<h1>Shipping</h1><p>Express delivery now costs €12.50.</p>';
    const replaced = await h.call('PUT', `/v1/knowledge/documents/${id}`, { title: 'Shipping', content: html, format: 'html' }, ws.accessToken);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ chunkCount: 1, status: 'ready' });
    const chunks = await chunksOf(id);
    expect(chunks.map((c) => c.content)).toEqual(['Express delivery now costs €12.50.']);
    expect((await loadIndex(h.db, ws.tenant.id)).search('express cost')[0].chunk.content).toContain('€12.50');

    expect((await h.call('DELETE', `/v1/knowledge/documents/${id}`, undefined, ws.accessToken)).status).toBe(204);
    expect(await chunksOf(id)).toEqual([]);
    expect((await loadIndex(h.db, ws.tenant.id)).search('express cost')).toEqual([]);
    expect((await h.call('GET', `/v1/knowledge/documents/${id}`, undefined, ws.accessToken)).status).toBe(404);
  });

  it('indexes a large document in the background with visible progress, and re-indexes it without stale chunks', async () => {
    const ws = await h.signup('kb-large');
    const created = await h.call('POST', '/v1/knowledge/documents', { title: 'Catalogue', content: CATALOGUE }, ws.accessToken);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'indexing', chunksTotal: 250, chunksDone: 0, chunkCount: 0 });
    const id = created.body.id;
    const done = await readyDoc(id, ws.accessToken);
    expect(done).toMatchObject({ status: 'ready', chunksTotal: 250, chunksDone: 250, chunkCount: 250, error: null });
    expect((await loadIndex(h.db, ws.tenant.id)).search('item 117')[0].chunk.content).toBe('Item 117 ships in 3 days.');
    const firstGeneration = new Set((await chunksOf(id)).map((c) => c.generation));
    expect(firstGeneration.size).toBe(1);

    const again = await h.call('POST', `/v1/knowledge/documents/${id}/reindex`, undefined, ws.accessToken);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'indexing', chunksDone: 0 });
    // Before, during and after the swap, search sees exactly one generation.
    expect((await loadIndex(h.db, ws.tenant.id)).chunks.filter((c) => c.documentId === id)).toHaveLength(250);
    await readyDoc(id, ws.accessToken);
    const rows = await chunksOf(id);
    expect(rows).toHaveLength(250);
    const generations = new Set(rows.map((c) => c.generation));
    expect(generations.size).toBe(1);
    expect([...generations][0]).toBeGreaterThan([...firstGeneration][0]);
  });

  it('accepts a file upload, taking the format from the extension or a field', async () => {
    const ws = await h.signup('kb-upload');
    const md = await upload(ws.accessToken, { file: new File([SHIPPING], 'shipping-faq.md', { type: 'text/markdown' }) });
    expect(md.status).toBe(201);
    expect(md.body).toMatchObject({ title: 'shipping-faq', format: 'markdown', chunkCount: 2, status: 'ready' });
    const html = await upload(ws.accessToken, { file: new File(['<h2>Hours</h2><ul><li>Mon 9-17</li><li>Sat 10-16</li></ul>'], 'hours.htm'), title: 'Opening hours' });
    expect(html.body).toMatchObject({ title: 'Opening hours', format: 'html', chunkCount: 2 });
    const forced = await upload(ws.accessToken, { file: new File(['# not a heading in plain text'], 'notes.data'), format: 'text' });
    expect(forced.body).toMatchObject({ title: 'notes', format: 'text', chunkCount: 1 });
    // Replacing through an upload works the same way.
    const replaced = await upload(ws.accessToken, { file: new File(['- Express delivery costs €11.'], 'shipping.md') }, `/v1/knowledge/documents/${md.body.id}`, 'PUT');
    expect(replaced).toMatchObject({ status: 200, body: { title: 'shipping', chunkCount: 1 } });
  });

  it('rejects bad input naming the field, and lets agents read but not edit', async () => {
    const ws = await h.signup('kb-bad');
    const bad = await h.call('POST', '/v1/knowledge/documents', { title: '', content: 'x', format: 'pdf' }, ws.accessToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['format', 'title']);
    const fieldsOf = (r: { body: any }) => r.body.error.fields.map((f: any) => f.field);
    const noFile = await upload(ws.accessToken, { title: 'x' });
    expect([noFile.status, fieldsOf(noFile)]).toEqual([400, ['file']]);
    const unknownFormat = await upload(ws.accessToken, { file: new File(['%PDF-1.4'], 'manual.pdf') });
    expect([unknownFormat.status, fieldsOf(unknownFormat)]).toEqual([400, ['format']]);
    const badFormat = await upload(ws.accessToken, { file: new File(['x'], 'a.md'), format: 'docx' });
    expect([badFormat.status, fieldsOf(badFormat)]).toEqual([400, ['format']]);
    const empty = await upload(ws.accessToken, { file: new File(['  \n'], 'empty.txt') });
    expect([empty.status, fieldsOf(empty)]).toEqual([400, ['file']]);
    const huge = Array.from({ length: 5001 }, (_, i) => `- ${i}`).join('\n');
    const tooMany = await h.call('POST', '/v1/knowledge/documents', { title: 'Dump', content: huge }, ws.accessToken);
    expect([tooMany.status, fieldsOf(tooMany)]).toEqual([400, ['content']]);
    const tooManyFile = await upload(ws.accessToken, { file: new File([huge], 'dump.md') });
    expect([tooManyFile.status, fieldsOf(tooManyFile)]).toEqual([400, ['file']]);
    const noBody = await h.app.request('/v1/knowledge/documents', { method: 'POST', headers: { authorization: `Bearer ${ws.accessToken}` } });
    expect(noBody.status).toBe(400);
    expect((await noBody.json()).error.fields).toEqual([{ field: 'body', message: 'required' }]);
    const wrongType = await h.call('POST', '/v1/knowledge/documents', 'title=x', ws.accessToken, { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect((await h.call('POST', '/v1/knowledge/documents/not-a-uuid/reindex', undefined, ws.accessToken)).body.error.fields[0].field).toBe('id');
    expect(await h.db.select().from(kbChunks).where(eq(kbChunks.tenantId, ws.tenant.id))).toEqual([]);

    const inv = await h.call('POST', '/v1/invitations', { email: `kb-agent-${Date.now()}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = await h.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ag', password: 'a long password' });
    expect((await h.call('GET', '/v1/knowledge/documents', undefined, agent.body.accessToken)).status).toBe(200);
    expect((await h.call('POST', '/v1/knowledge/documents', { title: 't', content: 'c' }, agent.body.accessToken)).status).toBe(403);
  });

  it("answers 404 for another workspace's document on every route", async () => {
    const owner = await h.signup('kb-owner');
    const doc = (await h.call('POST', '/v1/knowledge/documents', { title: 'Secret', content: 'internal price list' }, owner.accessToken)).body;
    const other = await h.signup('kb-other');
    for (const [method, path, body] of [
      ['GET', ''],
      ['PUT', '', { title: 'x', content: 'y' }],
      ['DELETE', ''],
      ['POST', '/reindex'],
    ] as const) {
      expect((await h.call(method, `/v1/knowledge/documents/${doc.id}${path}`, body, other.accessToken)).status, `${method} ${path}`).toBe(404);
    }
    expect((await upload(other.accessToken, { file: new File(['y'], 'y.md') }, `/v1/knowledge/documents/${doc.id}`, 'PUT')).status).toBe(404);
    expect((await h.call('GET', `/v1/knowledge/documents/${randomUUID()}`, undefined, other.accessToken)).status).toBe(404);
    expect((await h.call('GET', '/v1/knowledge/documents', undefined, other.accessToken)).body.documents).toEqual([]);
    expect((await loadIndex(h.db, other.tenant.id)).search('price list')).toEqual([]);
    // The owner's document is untouched.
    expect((await h.call('GET', `/v1/knowledge/documents/${doc.id}`, undefined, owner.accessToken)).body).toMatchObject({ title: 'Secret', status: 'ready', chunkCount: 1 });
  });
});

describe('OpenAI embeddings', () => {
  const addProvider = (token: string, apiKey: string) => h.call('POST', '/v1/agent/providers', { kind: 'openai', apiKey, baseUrl: `${fake.url}/v1`, model: 'echo' }, token);

  it("embeds documents and queries with text-embedding-3-small when the tenant has OpenAI, the local embedding before", async () => {
    const ws = await h.signup('kb-openai');
    const local = await h.call('POST', '/v1/knowledge/documents', { title: 'Returns', content: '- You can return any item within 30 days.' }, ws.accessToken);
    expect(local.body.embeddingModel).toBe('local-hash-512');
    expect((await addProvider(ws.accessToken, FAKE_KEY)).status).toBe(201);

    const before = fake.embeddingRequests.length;
    // Provider-embedded documents are always indexed by the worker, even small ones.
    const small = await h.call('POST', '/v1/knowledge/documents', { title: 'Shipping', content: SHIPPING }, ws.accessToken);
    expect(small.status).toBe(202);
    expect(await readyDoc(small.body.id, ws.accessToken)).toMatchObject({ status: 'ready', embeddingModel: OPENAI_EMBEDDING_MODEL, chunkCount: 2 });
    expect(fake.embeddingRequests.slice(before)).toEqual([{ model: OPENAI_EMBEDDING_MODEL, inputs: 2 }]);
    const stored = await chunksOf(small.body.id);
    expect(stored.map((c) => [c.embeddingModel, c.embedding.length])).toEqual([
      [OPENAI_EMBEDDING_MODEL, 1536],
      [OPENAI_EMBEDDING_MODEL, 1536],
    ]);

    const large = await h.call('POST', '/v1/knowledge/documents', { title: 'Catalogue', content: CATALOGUE }, ws.accessToken);
    expect(large.status).toBe(202);
    expect(await readyDoc(large.body.id, ws.accessToken)).toMatchObject({ status: 'ready', embeddingModel: OPENAI_EMBEDDING_MODEL, chunkCount: 250 });

    // The query is embedded once, by the model of the OpenAI chunks; the older local document is
    // still found, compared through local embeddings.
    const queried = fake.embeddingRequests.length;
    const searchOpts = { credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), allowPrivateNetworks: true };
    const hits = await searchKnowledge(h.db, ws.tenant.id, 'express delivery cost', searchOpts);
    expect(hits[0].chunk.content).toContain('€9.95');
    expect(fake.embeddingRequests.slice(queried)).toEqual([{ model: OPENAI_EMBEDDING_MODEL, inputs: 1 }]);
    expect((await searchKnowledge(h.db, ws.tenant.id, 'return within 30 days', searchOpts))[0].chunk.documentId).toBe(local.body.id);

    // Re-indexing moves the older document to the tenant's current model.
    expect((await h.call('POST', `/v1/knowledge/documents/${local.body.id}/reindex`, undefined, ws.accessToken)).status).toBe(202);
    expect(await readyDoc(local.body.id, ws.accessToken)).toMatchObject({ status: 'ready', embeddingModel: OPENAI_EMBEDDING_MODEL });
    expect((await chunksOf(local.body.id)).map((c) => c.embeddingModel)).toEqual([OPENAI_EMBEDDING_MODEL]);
  });

  it('marks the document failed, naming the rejected key, and keeps nothing half-indexed', async () => {
    const ws = await h.signup('kb-openai-401');
    expect((await addProvider(ws.accessToken, 'sk-revoked-key')).status).toBe(201);
    const small = await h.call('POST', '/v1/knowledge/documents', { title: 'Shipping', content: SHIPPING }, ws.accessToken);
    expect(small.status).toBe(202);
    const smallFailed = await readyDoc(small.body.id, ws.accessToken);
    expect(smallFailed).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(smallFailed.error).toMatch(/401/);
    const large = await h.call('POST', '/v1/knowledge/documents', { title: 'Catalogue', content: CATALOGUE }, ws.accessToken);
    expect(large.status).toBe(202);
    const failed = await readyDoc(large.body.id, ws.accessToken);
    expect(failed).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(failed.error).toMatch(/401/);
    expect(await h.db.select().from(kbChunks).where(eq(kbChunks.tenantId, ws.tenant.id))).toEqual([]);
    expect(fake.unauthorized).toContain('sk-revoked-key');
  });
});
