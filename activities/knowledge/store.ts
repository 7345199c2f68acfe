import { desc, eq, sql } from 'drizzle-orm';
import { withTenant, type Database } from '../../db/client.js';
import { kbChunks, kbDocuments } from '../../db/schema/index.js';
import { chunkDocument, type DocumentFormat } from './chunk.js';
import { localEmbedding } from './embed.js';
import { ChunkIndex } from './search.js';

export interface DocumentInput {
  title: string;
  body: string;
  format: DocumentFormat;
}

export type KbDocument = typeof kbDocuments.$inferSelect;

/** More chunks than this in one document is a data dump, not an article: split it. */
export const MAX_CHUNKS_PER_DOCUMENT = 5_000;
export class DocumentTooLarge extends Error {}
const INSERT_BATCH = 500;

/**
 * Creates or replaces a document and rebuilds its chunks in one transaction, so a search never
 * sees a half-indexed document and a re-indexed one leaves no stale chunks behind.
 */
export async function saveDocument(db: Database, tenantId: string, input: DocumentInput, id?: string): Promise<KbDocument | undefined> {
  const chunks = chunkDocument(input.title, input.body, input.format);
  if (chunks.length > MAX_CHUNKS_PER_DOCUMENT) {
    throw new DocumentTooLarge(`the document makes ${chunks.length} chunks; split it into documents of at most ${MAX_CHUNKS_PER_DOCUMENT}`);
  }
  return withTenant(db, tenantId, async (tx) => {
    let doc: KbDocument | undefined;
    if (id) {
      [doc] = await tx
        .update(kbDocuments)
        .set({ ...input, chunkCount: chunks.length, updatedAt: sql`now()` })
        .where(eq(kbDocuments.id, id))
        .returning();
      if (!doc) return undefined;
      await tx.delete(kbChunks).where(eq(kbChunks.documentId, id));
    } else {
      [doc] = await tx.insert(kbDocuments).values({ tenantId, ...input, chunkCount: chunks.length }).returning();
    }
    for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
      await tx.insert(kbChunks).values(
        chunks.slice(start, start + INSERT_BATCH).map((c) => ({
          tenantId,
          documentId: doc!.id,
          ordinal: c.ordinal,
          heading: c.heading,
          content: c.content,
          embedding: localEmbedding(`${input.title} ${c.heading} ${c.content}`),
        })),
      );
    }
    return doc;
  });
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
// document's id and update time, so concurrent edits committing out of order still change it.
const cache = new Map<string, { stamp: string; index: ChunkIndex }>();

export async function loadIndex(db: Database, tenantId: string): Promise<ChunkIndex> {
  return withTenant(db, tenantId, async (tx) => {
    const [s] = await tx
      .select({ stamp: sql<string>`coalesce(md5(string_agg(${kbDocuments.id}::text || '@' || ${kbDocuments.updatedAt}::text, ',' order by ${kbDocuments.id})), '')` })
      .from(kbDocuments);
    const stamp = s.stamp;
    const hit = cache.get(tenantId);
    if (hit?.stamp === stamp) return hit.index;
    const rows = await tx
      .select({ chunk: kbChunks, title: kbDocuments.title })
      .from(kbChunks)
      .innerJoin(kbDocuments, eq(kbDocuments.id, kbChunks.documentId));
    const index = new ChunkIndex(
      rows.map(({ chunk, title }) => ({ id: chunk.id, documentId: chunk.documentId, documentTitle: title, heading: chunk.heading, content: chunk.content, embedding: chunk.embedding })),
    );
    cache.set(tenantId, { stamp, index });
    return index;
  });
}
