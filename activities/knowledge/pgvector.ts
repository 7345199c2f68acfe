import { sql } from 'drizzle-orm';
import { withTenant, type Database, type Tx } from '../../db/client.js';
import { OPENAI_EMBEDDING_DIMENSIONS } from './embedder.js';

/**
 * pgvector, used only where migration 0014 could create `kb_chunks.embedding_vec` (the server had
 * the extension). The drizzle schema does not declare that column, so everything here is raw SQL.
 *
 * UNTESTED PATH: the development and CI machines have no pgvector, so the statements below have
 * never run against a real server here; they follow pgvector's documented syntax (`<=>` is cosine
 * distance, `real[]::vector` is a built-in cast). Without the column, retrieval is the exact
 * in-process cosine + BM25 of search.ts, which is what every test exercises.
 *
 * Vectors are zero-padded to 1536 dimensions: padding leaves the cosine of two vectors of the same
 * model unchanged, and every query filters by embedding model.
 */
const DIMS = OPENAI_EMBEDDING_DIMENSIONS;
const present = new WeakMap<Database, Promise<boolean>>();

/** Whether this database has the pgvector column; checked once per process and connection pool. */
export function hasPgvector(db: Database): Promise<boolean> {
  let p = present.get(db);
  if (!p) {
    p = db
      .execute<{ ok: number }>(sql`select 1 as ok from pg_attribute where attrelid = to_regclass('kb_chunks') and attname = 'embedding_vec' and not attisdropped`)
      .then((rows) => rows.length > 0);
    present.set(db, p);
  }
  return p;
}

/** Fills the vector column of one generation's chunks written so far (inside the batch's transaction). */
export async function writeVectors(tx: Tx, documentId: string, generation: number): Promise<void> {
  await tx.execute(sql`
    update kb_chunks set embedding_vec = array_cat(embedding, array_fill(0::real, array[${DIMS} - cardinality(embedding)]))::vector(1536)
    where document_id = ${documentId} and generation = ${generation} and embedding_vec is null and cardinality(embedding) <= ${DIMS}`);
}

const literal = (v: number[]) => `[${[...v, ...new Array<number>(Math.max(0, DIMS - v.length)).fill(0)].join(',')}]`;

/**
 * The nearest live chunks of one embedding model by cosine similarity, from the HNSW index:
 * approximate, so a chunk outside the top `limit` gets no vector score (its lexical score stands).
 */
export async function nearestChunks(db: Database, tenantId: string, model: string, query: number[], limit: number): Promise<Map<string, number>> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.execute<{ id: string; similarity: number }>(sql`
      select c.id, 1 - (c.embedding_vec <=> ${literal(query)}::vector(1536)) as similarity
      from kb_chunks c join kb_documents d on d.id = c.document_id and c.generation = d.live_generation
      where c.embedding_model = ${model} and c.embedding_vec is not null
      order by c.embedding_vec <=> ${literal(query)}::vector(1536)
      limit ${limit}`),
  );
  return new Map(rows.map((r) => [r.id, Number(r.similarity)]));
}
