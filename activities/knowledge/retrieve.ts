import type { Database } from '../../db/client.js';
import { LOCAL_EMBEDDING_MODEL, localEmbedding } from './embed.js';
import { tenantEmbedder } from './embedder.js';
import { hasPgvector, nearestChunks } from './pgvector.js';
import type { ChunkIndex, Hit, QueryVectors } from './search.js';
import { loadIndex } from './store.js';

// pgvector's index is approximate: ask it for many more candidates than results.
const VECTOR_CANDIDATES = 100;

export interface SearchOptions {
  k?: number;
  /** Unseals the tenant's provider key, to embed the query with the model its chunks used. */
  credentialsKey: Buffer;
  /** Whether the tenant's provider base URL may be a private address (the worker's setting). */
  allowPrivateNetworks?: boolean;
  /** The tenant's index, when the caller has it loaded already. */
  index?: ChunkIndex;
}

/**
 * Hybrid retrieval with the query embedded by the same model as each chunk: BM25 in process, and
 * the vector half from pgvector when the server has it, else exact cosine in process.
 *
 * Chunks of a model the tenant can no longer embed with (its OpenAI provider was removed) are
 * compared through local embeddings instead; `POST /documents/:id/reindex` re-embeds them.
 */
export async function searchKnowledge(db: Database, tenantId: string, query: string, opts: SearchOptions): Promise<Hit[]> {
  const k = opts.k ?? 5;
  const index = opts.index ?? (await loadIndex(db, tenantId));
  if (index.chunks.length === 0) return [];
  const embedder = index.needsProviderEmbedding ? await tenantEmbedder(db, opts.credentialsKey, tenantId, { allowPrivateNetworks: opts.allowPrivateNetworks }) : undefined;
  const byModel = new Map<string, number[]>();
  if (embedder && index.models.has(embedder.model) && embedder.model !== LOCAL_EMBEDDING_MODEL) byModel.set(embedder.model, (await embedder.embed([query]))[0]);
  const vectors: QueryVectors = { byModel };
  if (await hasPgvector(db)) {
    // UNTESTED PATH (no pgvector on the development machine): see pgvector.ts.
    byModel.set(LOCAL_EMBEDDING_MODEL, localEmbedding(query));
    const scores = new Map<string, number>();
    for (const [model, q] of byModel) for (const [id, s] of await nearestChunks(db, tenantId, model, q, VECTOR_CANDIDATES)) scores.set(id, s);
    vectors.precomputed = { models: new Set(byModel.keys()), scores };
  }
  return index.searchWith(query, k, vectors);
}
