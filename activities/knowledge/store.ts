import { and, desc, eq, sql } from 'drizzle-orm';
import { withTenant, type Database, type Tx } from '../../db/client.js';
import { kbChunks, kbDocuments } from '../../db/schema/index.js';
import { chunkDocument, type DocumentFormat } from './chunk.js';
import { localEmbedder, type Embedder } from './embedder.js';
import { failIndexing, indexDocument } from './indexer.js';
import { ChunkIndex } from './search.js';

export interface DocumentInput {
  title: string;
  body: string;
  format: DocumentFormat;
}

export type KbDocument = typeof kbDocuments.$inferSelect;

/** More chunks than this in one document is a data dump, not an article: split it. */
export const MAX_CHUNKS_PER_DOCUMENT = 5_000;
/** Documents of at most this many chunks are indexed within the request; larger ones by a workflow. */
export const INLINE_MAX_CHUNKS = 50;
export class DocumentTooLarge extends Error {}

/** How many chunks a document makes; throws DocumentTooLarge past the limit. */
export function plannedChunks(input: DocumentInput): number {
  const n = chunkDocument(input.title, input.body, input.format).length;
  if (n > MAX_CHUNKS_PER_DOCUMENT) throw new DocumentTooLarge(`the document makes ${n} chunks; split it into documents of at most ${MAX_CHUNKS_PER_DOCUMENT}`);
  return n;
}

/** Stores a new document as `indexing` generation 1; nothing of it is searchable until indexed. */
export async function createDocument(db: Database, tenantId: string, input: DocumentInput): Promise<KbDocument> {
  const chunksTotal = plannedChunks(input);
  const [doc] = await withTenant(db, tenantId, (tx) =>
    tx.insert(kbDocuments).values({ tenantId, ...input, status: 'indexing', liveGeneration: 0, indexingGeneration: 1, chunksTotal, chunksDone: 0 }).returning(),
  );
  return doc;
}

// The next generation is above both the live one and any being built, so a superseded run can
// never swap in over it.
const nextGeneration = sql`greatest(${kbDocuments.liveGeneration}, coalesce(${kbDocuments.indexingGeneration}, 0)) + 1`;

/** Replaces a document's content and requests a new generation; the old one serves until it swaps. */
export async function replaceDocument(db: Database, tenantId: string, id: string, input: DocumentInput): Promise<KbDocument | undefined> {
  const chunksTotal = plannedChunks(input);
  const [doc] = await withTenant(db, tenantId, (tx) =>
    tx
      .update(kbDocuments)
      .set({ ...input, status: 'indexing', indexingGeneration: nextGeneration, chunksTotal, chunksDone: 0, error: null, updatedAt: sql`now()` })
      .where(eq(kbDocuments.id, id))
      .returning(),
  );
  return doc;
}

/** Requests a new generation of an unchanged document (say, after the embedding provider changed). */
export async function requestReindex(db: Database, tenantId: string, id: string): Promise<KbDocument | undefined> {
  const [doc] = await withTenant(db, tenantId, (tx) =>
    tx.update(kbDocuments).set({ status: 'indexing', indexingGeneration: nextGeneration, chunksDone: 0, error: null }).where(eq(kbDocuments.id, id)).returning(),
  );
  return doc;
}

/**
 * Indexes a document's requested generation in this process and returns the document as it then
 * stands. Used for small documents by the API, and by the seed and evaluation scripts.
 */
export async function indexNow(db: Database, tenantId: string, doc: KbDocument, embedder: Embedder = localEmbedder): Promise<KbDocument | undefined> {
  if (doc.indexingGeneration !== null) await indexDocument(db, tenantId, doc.id, doc.indexingGeneration, embedder);
  return getDocument(db, tenantId, doc.id);
}

/**
 * Creates or replaces a document and indexes it at once, locally embedded unless an embedder is
 * given. A failure marks the document failed and is rethrown.
 */
export async function saveDocument(db: Database, tenantId: string, input: DocumentInput, id?: string, embedder: Embedder = localEmbedder): Promise<KbDocument | undefined> {
  const doc = id ? await replaceDocument(db, tenantId, id, input) : await createDocument(db, tenantId, input);
  if (!doc) return undefined;
  try {
    return await indexNow(db, tenantId, doc, embedder);
  } catch (err) {
    await failIndexing(db, tenantId, doc.id, doc.indexingGeneration!, (err as Error).message);
    throw err;
  }
}

export async function deleteDocument(db: Database, tenantId: string, id: string): Promise<boolean> {
  const rows = await withTenant(db, tenantId, (tx) => tx.delete(kbDocuments).where(eq(kbDocuments.id, id)).returning({ id: kbDocuments.id }));
  return rows.length > 0;
}

export function listDocuments(db: Database, tenantId: string) {
  return withTenant(db, tenantId, (tx) => tx.select().from(kbDocuments).orderBy(desc(kbDocuments.updatedAt)));
}

export async function getDocument(db: Database, tenantId: string, id: string) {
  const [doc] = await withTenant(db, tenantId, (tx) => tx.select().from(kbDocuments).where(eq(kbDocuments.id, id)));
  return doc;
}

// One index per tenant, rebuilt when any of its documents changes. The stamp covers every
// document's id, update time and live generation (a swap changes both), so concurrent edits
// committing out of order still change it.
const cache = new Map<string, { stamp: string; index: ChunkIndex }>();

/** The tenant's searchable chunks: only each document's live generation, never one being built. */
export function loadIndex(db: Database, tenantId: string): Promise<ChunkIndex> {
  return withTenant(db, tenantId, (tx) => indexWithin(tx, tenantId));
}

/** The same, in the caller's tenant transaction: its stamp query shares the round trip of the caller's reads. */
export async function indexWithin(tx: Tx, tenantId: string): Promise<ChunkIndex> {
  const [s] = await tx
    .select({
      stamp: sql<string>`coalesce(md5(string_agg(${kbDocuments.id}::text || '@' || ${kbDocuments.updatedAt}::text || '#' || ${kbDocuments.liveGeneration}::text, ',' order by ${kbDocuments.id})), '')`,
    })
    .from(kbDocuments);
  const stamp = s.stamp;
  const hit = cache.get(tenantId);
  if (hit?.stamp === stamp) return hit.index;
  const rows = await tx
    .select({ chunk: kbChunks, title: kbDocuments.title })
    .from(kbChunks)
    .innerJoin(kbDocuments, and(eq(kbDocuments.id, kbChunks.documentId), eq(kbChunks.generation, kbDocuments.liveGeneration)));
  const index = new ChunkIndex(
    rows.map(({ chunk, title }) => ({
      id: chunk.id,
      documentId: chunk.documentId,
      documentTitle: title,
      heading: chunk.heading,
      content: chunk.content,
      embedding: chunk.embedding,
      embeddingModel: chunk.embeddingModel,
    })),
  );
  cache.set(tenantId, { stamp, index });
  return index;
}
