import { cosine, localEmbedding } from './embed.js';
import { related } from './synonyms.js';
import { terms } from './text.js';

export interface IndexedChunk {
  id: string;
  documentId: string;
  documentTitle: string;
  heading: string;
  content: string;
  embedding: number[];
}

export interface Hit {
  chunk: IndexedChunk;
  score: number;
}

const K1 = 1.2;
const B = 0.75;
// Lexical evidence is sharper; the embedding rescues paraphrase and misspelling.
const LEXICAL_WEIGHT = 0.65;
const SYNONYM_WEIGHT = 0.35;

/**
 * Exact hybrid retrieval over one tenant's chunks: BM25 over title, heading and text (query terms
 * expanded with synonyms at a discount) blended with cosine similarity of local embeddings. Used
 * when the database has no vector index; exact, so quality never depends on an index's recall.
 */
export class ChunkIndex {
  private readonly tf: Array<Map<string, number>>;
  private readonly lengths: number[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

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
  }

  search(query: string, k = 5): Hit[] {
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
    return this.chunks
      .map((chunk, i) => ({ chunk, score: LEXICAL_WEIGHT * (lexical[i] / maxLexical) + (1 - LEXICAL_WEIGHT) * Math.max(0, cosine(q, chunk.embedding)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
}
