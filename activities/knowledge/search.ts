import { LOCAL_EMBEDDING_MODEL, cosine, localEmbedding } from './embed.js';
import { related } from './synonyms.js';
import { terms } from './text.js';

export interface IndexedChunk {
  id: string;
  documentId: string;
  documentTitle: string;
  heading: string;
  content: string;
  embedding: number[];
  /** The model that produced `embedding`; the local embedding when absent. */
  embeddingModel?: string;
}

export interface Hit {
  chunk: IndexedChunk;
  score: number;
}

/** What the vector half of a search compares with, beyond the local embedding of the query. */
export interface QueryVectors {
  /** The query embedded by each model it could be embedded with. */
  byModel?: ReadonlyMap<string, number[]>;
  /** Similarities computed by the database (pgvector) for chunks of these models, by chunk id. */
  precomputed?: { models: ReadonlySet<string>; scores: ReadonlyMap<string, number> };
}

const K1 = 1.2;
const B = 0.75;
// Lexical evidence is sharper; the embedding rescues paraphrase and misspelling.
const LEXICAL_WEIGHT = 0.65;
const SYNONYM_WEIGHT = 0.35;

/**
 * Exact hybrid retrieval over one tenant's chunks: BM25 over title, heading and text (query terms
 * expanded with synonyms at a discount) blended with cosine similarity of embeddings. Exact, so
 * quality never depends on an index's recall.
 *
 * A chunk's vector is only ever compared with the query embedded by the same model. Chunks of a
 * model the query was not embedded with (the synchronous `search`, or a tenant whose OpenAI
 * provider was removed) are compared through local embeddings computed here, so they keep a
 * vector half rather than falling back to lexical alone.
 */
export class ChunkIndex {
  private readonly tf: Array<Map<string, number>>;
  private readonly lengths: number[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;
  private readonly local: number[][];
  /** The embedding models of this index's chunks. */
  readonly models: ReadonlySet<string>;

  /** Some chunks were embedded by a provider's model: a query needs that model too (async). */
  get needsProviderEmbedding(): boolean {
    return [...this.models].some((m) => m !== LOCAL_EMBEDDING_MODEL);
  }

  constructor(readonly chunks: IndexedChunk[]) {
    this.tf = chunks.map((c) => {
      // The title and heading count twice: a bullet is about its section.
      const bag = new Map<string, number>();
      for (const t of [...terms(c.documentTitle), ...terms(c.heading), ...terms(c.heading), ...terms(c.content)]) bag.set(t, (bag.get(t) ?? 0) + 1);
      return bag;
    });
    this.lengths = this.tf.map((bag) => [...bag.values()].reduce((a, b) => a + b, 0));
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, chunks.length);
    for (const bag of this.tf) for (const t of bag.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.local = chunks.map((c) => (modelOf(c) === LOCAL_EMBEDDING_MODEL ? c.embedding : localEmbedding(`${c.documentTitle} ${c.heading} ${c.content}`)));
    this.models = new Set(chunks.map(modelOf));
  }

  /** Hybrid search with the query embedded locally: what the reply pipeline calls. */
  search(query: string, k = 5): Hit[] {
    return this.searchWith(query, k, {});
  }

  searchWith(query: string, k: number, vectors: QueryVectors): Hit[] {
    if (this.chunks.length === 0) return [];
    const weights = new Map<string, number>();
    for (const t of terms(query)) {
      weights.set(t, 1);
      for (const r of related(t)) if (!weights.has(r)) weights.set(r, SYNONYM_WEIGHT);
    }
    const n = this.chunks.length;
    const lexical = this.tf.map((bag, i) => {
      let score = 0;
      for (const [t, w] of weights) {
        const f = bag.get(t);
        if (!f) continue;
        const df = this.df.get(t) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += w * idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * this.lengths[i]) / this.avgLength)));
      }
      return score;
    });
    let maxLexical = 0;
    for (const x of lexical) if (x > maxLexical) maxLexical = x;
    maxLexical ||= 1;
    const q = localEmbedding(query);
    const similarity = (chunk: IndexedChunk, i: number) => {
      const model = modelOf(chunk);
      if (vectors.precomputed?.models.has(model)) return vectors.precomputed.scores.get(chunk.id) ?? 0;
      const qm = model === LOCAL_EMBEDDING_MODEL ? undefined : vectors.byModel?.get(model);
      return qm ? cosine(qm, chunk.embedding) : cosine(q, this.local[i]);
    };
    return this.chunks
      .map((chunk, i) => ({ chunk, score: LEXICAL_WEIGHT * (lexical[i] / maxLexical) + (1 - LEXICAL_WEIGHT) * Math.max(0, similarity(chunk, i)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
}

const modelOf = (c: IndexedChunk) => c.embeddingModel ?? LOCAL_EMBEDDING_MODEL;
