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

/**
 * Creates or replaces a document and rebuilds its chunks in one transaction, so a search never
 * sees a half-indexed document and a re-indexed one leaves no stale chunks behind.
 */
export async function saveDocument(db: Database, tenantId: string, input: DocumentInput, id?: string): Promise<KbDocument | undefined> {
  const chunks = chunkDocument(input.title, input.body, input.format);
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
    if (chunks.length) {
      await tx.insert(kbChunks).values(
        chunks.map((c) => ({
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

// One index per tenant, rebuilt when any of its documents changes (count and newest update time).
const cache = new Map<string, { stamp: string; index: ChunkIndex }>();

export async function loadIndex(db: Database, tenantId: string): Promise<ChunkIndex> {
  return withTenant(db, tenantId, async (tx) => {
    const [s] = await tx.select({ n: sql<number>`count(*)::int`, at: sql<string>`coalesce(max(${kbDocuments.updatedAt})::text, '')` }).from(kbDocuments);
    const stamp = `${s.n}:${s.at}`;
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
