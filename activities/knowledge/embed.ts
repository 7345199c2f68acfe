import { terms, words } from './text.js';

/**
 * The local embedding: a hashed bag of stems and character trigrams, L2-normalised. It needs no
 * model and no network, and still matches "deliver"/"delivery" and misspellings that exact terms miss.
 */
export const LOCAL_DIMENSIONS = 512;
/** Stored with every local vector (kb_chunks.embedding_model); the schema's default is the same name. */
export const LOCAL_EMBEDDING_MODEL = 'local-hash-512';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function localEmbedding(text: string): number[] {
  const v = new Array<number>(LOCAL_DIMENSIONS).fill(0);
  for (const t of terms(text)) v[hash(`w:${t}`) % LOCAL_DIMENSIONS] += 1;
  for (const w of words(text)) {
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) v[hash(`c:${padded.slice(i, i + 3)}`) % LOCAL_DIMENSIONS] += 0.3;
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}
