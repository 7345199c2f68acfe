import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { parseMasterKey } from '../../db/credential-crypto.js';
import { kbChunks } from '../../db/schema/index.js';
import { TEST_CREDENTIALS_KEY, startHarness, type Harness } from '../../scripts/testing/harness.js';
import type { KnowledgeIndexInput, KnowledgeIndexProgress } from './index-contracts.js';
import { createKnowledgeIndexActivities } from './index.activities.js';
import { failIndexing } from './indexer.js';
import { createDocument, deleteDocument, getDocument, loadIndex, requestReindex, saveDocument } from './store.js';

let h: Harness;
let activities: ReturnType<typeof createKnowledgeIndexActivities>;
beforeAll(async () => {
  h = await startHarness({ worker: false });
  activities = createKnowledgeIndexActivities({ db: h.db, credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), allowPrivateNetworks: true });
});
afterAll(async () => h?.close());

// 250 chunks: three batches of 100, 100 and 50.
const BIG = `# Catalogue\n\n${Array.from({ length: 250 }, (_, i) => `- Item ${i} ships in ${(i % 5) + 1} days.`).join('\n')}`;

class WorkerKilled extends Error {}

/**
 * Runs the real activity as a worker would. `killAfter` ends the attempt right after that many
 * heartbeats, as a worker dying between batches does; `resume` is what a retry would be given.
 */
async function attempt(input: KnowledgeIndexInput, opts: { killAfter?: number; resume?: KnowledgeIndexProgress } = {}) {
  // The killed attempts would log as failed activities; only errors beyond those are of interest.
  const env = new MockActivityEnvironment({ heartbeatDetails: opts.resume }, { logger: new DefaultLogger('ERROR') });
  const beats: KnowledgeIndexProgress[] = [];
  env.on('heartbeat', (d: KnowledgeIndexProgress) => {
    beats.push(d);
    if (beats.length === opts.killAfter) throw new WorkerKilled();
  });
  const result = await env.run(activities.indexKnowledgeDocument, input).catch((err: unknown) => {
    if (err instanceof WorkerKilled) return 'killed' as const;
    throw err;
  });
  return { result, beats };
}

const chunkRows = (documentId: string) => h.db.select().from(kbChunks).where(eq(kbChunks.documentId, documentId));
const searchable = async (tenantId: string, documentId: string) => (await loadIndex(h.db, tenantId)).chunks.filter((c) => c.documentId === documentId).length;

describe('knowledge indexing activity', () => {
  it('resumes after a killed worker from its last heartbeat, and search never sees the half-built generation', async () => {
    const ws = await h.signup('kb-resume');
    const doc = await createDocument(h.db, ws.tenant.id, { title: 'Catalogue', body: BIG, format: 'markdown' });
    const input = { tenantId: ws.tenant.id, documentId: doc.id, generation: 1 };

    const first = await attempt(input, { killAfter: 2 });
    expect(first.result).toBe('killed');
    expect(first.beats.map((b) => b.batch)).toEqual([0, 1]);
    expect(await getDocument(h.db, ws.tenant.id, doc.id)).toMatchObject({ status: 'indexing', chunksTotal: 250, chunksDone: 200, chunkCount: 0 });
    expect(await chunkRows(doc.id)).toHaveLength(200);
    expect(await searchable(ws.tenant.id, doc.id)).toBe(0);

    const retry = await attempt(input, { resume: first.beats.at(-1) });
    expect(retry.result).toEqual({ status: 'ready', chunks: 250 });
    // Only the remaining batch was embedded and written.
    expect(retry.beats.map((b) => b.batch)).toEqual([2]);
    expect(await getDocument(h.db, ws.tenant.id, doc.id)).toMatchObject({ status: 'ready', chunksTotal: 250, chunksDone: 250, chunkCount: 250, liveGeneration: 1, indexingGeneration: null });
    const rows = await chunkRows(doc.id);
    expect(new Set(rows.map((r) => r.ordinal)).size).toBe(250);
    expect(await searchable(ws.tenant.id, doc.id)).toBe(250);

    // A retry of an attempt whose completion was lost reports the live generation and changes nothing.
    expect((await attempt(input)).result).toEqual({ status: 'ready', chunks: 250 });
    expect(await chunkRows(doc.id)).toHaveLength(250);
  });

  it('re-inserts a batch committed after the last heartbeat as a no-op', async () => {
    const ws = await h.signup('kb-stale-beat');
    const doc = await createDocument(h.db, ws.tenant.id, { title: 'Catalogue', body: BIG, format: 'markdown' });
    const input = { tenantId: ws.tenant.id, documentId: doc.id, generation: 1 };
    const first = await attempt(input, { killAfter: 2 });
    // The retry gets the first heartbeat only, as when the worker died before the second reached the server.
    const retry = await attempt(input, { resume: first.beats[0] });
    expect(retry.beats.map((b) => b.batch)).toEqual([1, 2]);
    expect(await chunkRows(doc.id)).toHaveLength(250);
  });

  it('a superseded generation stops, removes its chunks, and the newer one swaps in alone', async () => {
    const ws = await h.signup('kb-supersede');
    const doc = (await saveDocument(h.db, ws.tenant.id, { title: 'Catalogue', body: BIG, format: 'markdown' }))!;
    expect(doc).toMatchObject({ status: 'ready', liveGeneration: 1 });
    const g2 = (await requestReindex(h.db, ws.tenant.id, doc.id))!;
    expect(g2.indexingGeneration).toBe(2);
    const killed = await attempt({ tenantId: ws.tenant.id, documentId: doc.id, generation: 2 }, { killAfter: 1 });
    // A second re-index is requested while generation 2 is half built.
    const g3 = (await requestReindex(h.db, ws.tenant.id, doc.id))!;
    expect(g3.indexingGeneration).toBe(3);
    // The old generation stays searchable throughout.
    expect(await searchable(ws.tenant.id, doc.id)).toBe(250);

    const stale = await attempt({ tenantId: ws.tenant.id, documentId: doc.id, generation: 2 }, { resume: killed.beats.at(-1) });
    expect(stale.result).toEqual({ status: 'superseded', chunks: 0 });
    expect((await chunkRows(doc.id)).filter((r) => r.generation === 2)).toEqual([]);

    expect((await attempt({ tenantId: ws.tenant.id, documentId: doc.id, generation: 3 })).result).toEqual({ status: 'ready', chunks: 250 });
    const rows = await chunkRows(doc.id);
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.generation))).toEqual(new Set([3]));
  });

  it('stops without error when the document is deleted mid-index', async () => {
    const ws = await h.signup('kb-deleted');
    const doc = await createDocument(h.db, ws.tenant.id, { title: 'Catalogue', body: BIG, format: 'markdown' });
    const input = { tenantId: ws.tenant.id, documentId: doc.id, generation: 1 };
    const first = await attempt(input, { killAfter: 1 });
    expect(await deleteDocument(h.db, ws.tenant.id, doc.id)).toBe(true);
    expect((await attempt(input, { resume: first.beats.at(-1) })).result).toEqual({ status: 'deleted', chunks: 0 });
    expect(await chunkRows(doc.id)).toEqual([]);
  });

  it("refuses a provider base URL in a private network unless the operator allowed it, for good", async () => {
    const ws = await h.signup('kb-private-url');
    const added = await h.call('POST', '/v1/agent/providers', { kind: 'openai', apiKey: 'sk-internal', baseUrl: 'http://127.0.0.1:9/v1' }, ws.accessToken);
    expect(added.status).toBe(201);
    const doc = await createDocument(h.db, ws.tenant.id, { title: 'Shipping', body: '- Express delivery costs €9.95.', format: 'markdown' });
    const guarded = createKnowledgeIndexActivities({ db: h.db, credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), allowPrivateNetworks: false });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const err = await env.run(guarded.indexKnowledgeDocument, { tenantId: ws.tenant.id, documentId: doc.id, generation: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: 'EmbeddingRejected' });
    expect((err as Error).message).toMatch(/private address/);
    expect(await chunkRows(doc.id)).toEqual([]);
  });

  it('a failed re-index keeps the last good generation live and removes the partial one', async () => {
    const ws = await h.signup('kb-fail');
    const doc = (await saveDocument(h.db, ws.tenant.id, { title: 'Catalogue', body: BIG, format: 'markdown' }))!;
    await requestReindex(h.db, ws.tenant.id, doc.id);
    await attempt({ tenantId: ws.tenant.id, documentId: doc.id, generation: 2 }, { killAfter: 1 });
    await activities.failKnowledgeIndexing({ tenantId: ws.tenant.id, documentId: doc.id, generation: 2, error: 'provider down' });
    expect(await getDocument(h.db, ws.tenant.id, doc.id)).toMatchObject({ status: 'failed', error: 'provider down', liveGeneration: 1, indexingGeneration: null });
    expect(await h.db.select().from(kbChunks).where(and(eq(kbChunks.documentId, doc.id), eq(kbChunks.generation, 2)))).toEqual([]);
    expect(await searchable(ws.tenant.id, doc.id)).toBe(250);
    // Failing a generation that is no longer being built changes nothing.
    expect(await failIndexing(h.db, ws.tenant.id, doc.id, 2, 'late')).toBe(false);
  });
});
