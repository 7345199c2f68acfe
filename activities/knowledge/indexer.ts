import { and, eq, ne, sql } from 'drizzle-orm';
import { withTenant, type Database, type Tx } from '../../db/client.js';
import { kbChunks, kbDocuments } from '../../db/schema/index.js';
import { chunkDocument } from './chunk.js';
import type { Embedder } from './embedder.js';
import type { KnowledgeIndexProgress, KnowledgeIndexResult } from './index-contracts.js';
import { hasPgvector, writeVectors } from './pgvector.js';

/** Chunks embedded and committed together; one heartbeat each. */
export const INDEX_BATCH = 100;

export interface IndexOptions {
  /** Resume after this progress (a retried activity's last heartbeat). */
  resumeFrom?: KnowledgeIndexProgress;
  /** Called after each batch commits. */
  onBatch?: (progress: KnowledgeIndexProgress) => void;
  batchSize?: number;
}

class Superseded extends Error {}

/**
 * Builds one generation of a document's chunks beside the live one, in batches that each commit
 * with the document's progress, then swaps it live in one transaction that deletes every other
 * generation. Readers join on `live_generation`, so they see the old chunks or the new, never a
 * mix and never a half-built generation. Safe to run again: batches insert `on conflict do
 * nothing`, and a run whose generation is already live just reports it.
 */
export async function indexDocument(db: Database, tenantId: string, documentId: string, generation: number, embedder: Embedder, opts: IndexOptions = {}): Promise<KnowledgeIndexResult> {
  const batchSize = opts.batchSize ?? INDEX_BATCH;
  const [doc] = await withTenant(db, tenantId, (tx) => tx.select().from(kbDocuments).where(eq(kbDocuments.id, documentId)));
  if (!doc) return { status: 'deleted', chunks: 0 };
  if (doc.liveGeneration === generation && doc.indexingGeneration === null) return { status: 'ready', chunks: doc.chunkCount };
  if (doc.indexingGeneration !== generation) return discard(db, tenantId, documentId, generation);

  const chunks = chunkDocument(doc.title, doc.body, doc.format);
  const resume = opts.resumeFrom?.model === embedder.model ? opts.resumeFrom.batch + 1 : 0;
  const vectorColumn = await hasPgvector(db);
  try {
    await withTenant(db, tenantId, (tx) => advance(tx, documentId, generation, { chunksTotal: chunks.length, chunksDone: Math.min(chunks.length, resume * batchSize) }));
    for (let batch = resume; batch * batchSize < chunks.length; batch++) {
      const part = chunks.slice(batch * batchSize, (batch + 1) * batchSize);
      const vectors = await embedder.embed(part.map((c) => `${doc.title} ${c.heading} ${c.content}`));
      await withTenant(db, tenantId, async (tx) => {
        await tx
          .insert(kbChunks)
          .values(part.map((c, i) => ({ tenantId, documentId, generation, ordinal: c.ordinal, heading: c.heading, content: c.content, embedding: vectors[i], embeddingModel: embedder.model })))
          .onConflictDoNothing();
        if (vectorColumn) await writeVectors(tx, documentId, generation);
        await advance(tx, documentId, generation, { chunksDone: Math.min(chunks.length, (batch + 1) * batchSize) });
      });
      opts.onBatch?.({ batch, model: embedder.model });
    }
    const swapped = await withTenant(db, tenantId, async (tx) => {
      const [live] = await tx
        .update(kbDocuments)
        .set({
          liveGeneration: generation,
          indexingGeneration: null,
          status: 'ready',
          chunkCount: chunks.length,
          chunksTotal: chunks.length,
          chunksDone: chunks.length,
          embeddingModel: embedder.model,
          error: null,
          updatedAt: sql`now()`,
        })
        .where(and(eq(kbDocuments.id, documentId), eq(kbDocuments.indexingGeneration, generation)))
        .returning({ id: kbDocuments.id });
      if (live) await tx.delete(kbChunks).where(and(eq(kbChunks.documentId, documentId), ne(kbChunks.generation, generation)));
      return !!live;
    });
    if (!swapped) throw new Superseded();
    return { status: 'ready', chunks: chunks.length };
  } catch (err) {
    if (err instanceof Superseded) return discard(db, tenantId, documentId, generation);
    // The document was deleted under a batch insert (foreign key violation): nothing left to index.
    if (((err as { cause?: { code?: string } }).cause ?? (err as { code?: string })).code === '23503') return { status: 'deleted', chunks: 0 };
    throw err;
  }
}

/** Records progress of this generation; a newer re-index took over if it no longer is the one indexing. */
async function advance(tx: Tx, documentId: string, generation: number, patch: { chunksTotal?: number; chunksDone: number }) {
  const rows = await tx
    .update(kbDocuments)
    .set(patch)
    .where(and(eq(kbDocuments.id, documentId), eq(kbDocuments.indexingGeneration, generation)))
    .returning({ id: kbDocuments.id });
  if (rows.length === 0) throw new Superseded();
}

/** A generation that will never go live: remove what it wrote. */
async function discard(db: Database, tenantId: string, documentId: string, generation: number): Promise<KnowledgeIndexResult> {
  const deleted = await withTenant(db, tenantId, async (tx) => {
    const [doc] = await tx.select({ live: kbDocuments.liveGeneration }).from(kbDocuments).where(eq(kbDocuments.id, documentId)).for('update');
    if (!doc) return true;
    if (doc.live !== generation) await tx.delete(kbChunks).where(and(eq(kbChunks.documentId, documentId), eq(kbChunks.generation, generation)));
    return false;
  });
  return { status: deleted ? 'deleted' : 'superseded', chunks: 0 };
}

/**
 * Marks a generation failed, unless a newer one was requested meanwhile, and removes every chunk
 * that is not live. The last good generation stays searchable.
 */
export async function failIndexing(db: Database, tenantId: string, documentId: string, generation: number, error: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const [doc] = await tx
      .update(kbDocuments)
      .set({ status: 'failed', error: error.slice(0, 1000), indexingGeneration: null })
      .where(and(eq(kbDocuments.id, documentId), eq(kbDocuments.indexingGeneration, generation)))
      .returning({ live: kbDocuments.liveGeneration });
    if (doc) await tx.delete(kbChunks).where(and(eq(kbChunks.documentId, documentId), ne(kbChunks.generation, doc.live)));
    return !!doc;
  });
}
