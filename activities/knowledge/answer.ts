import type { Hit } from './search.js';
import { terms } from './text.js';

export interface Citation {
  documentId: string;
  title: string;
  chunkId: string;
}

export interface ExtractiveAnswer {
  /** null when the knowledge base does not answer the question well enough to say anything. */
  text: string | null;
  citations: Citation[];
  confidence: number;
}

// Below this share of the question's terms found in the best passage, saying nothing beats guessing.
const MIN_COVERAGE = 0.34;

/**
 * Builds an answer only from the knowledge base's own sentences: the passages that cover the
 * question best, from the best-matching article, quoted with their source. It never invents text.
 */
export function extractiveAnswer(question: string, hits: Hit[], maxPassages = 2): ExtractiveAnswer {
  const q = new Set(terms(question));
  if (hits.length === 0 || q.size === 0) return { text: null, citations: [], confidence: 0 };
  const coverage = (content: string, heading: string) => {
    const have = new Set([...terms(content), ...terms(heading)]);
    let found = 0;
    for (const t of q) if (have.has(t)) found++;
    return found / q.size;
  };
  const top = hits[0];
  const candidates = hits
    .filter((h) => h.chunk.documentId === top.chunk.documentId || h.score >= top.score * 0.9)
    .map((h) => ({ hit: h, coverage: coverage(h.chunk.content, h.chunk.heading) }))
    .sort((a, b) => b.coverage + b.hit.score - (a.coverage + a.hit.score));
  const best = candidates[0];
  const confidence = Math.min(1, best.coverage * 0.6 + top.score * 0.4);
  if (best.coverage < MIN_COVERAGE) return { text: null, citations: [], confidence };
  const chosen = candidates.filter((c) => c.coverage >= best.coverage * 0.5).slice(0, maxPassages);
  const citations: Citation[] = [];
  for (const c of chosen) {
    if (!citations.some((x) => x.chunkId === c.hit.chunk.id)) {
      citations.push({ documentId: c.hit.chunk.documentId, title: c.hit.chunk.documentTitle, chunkId: c.hit.chunk.id });
    }
  }
  const text = chosen.map((c) => c.hit.chunk.content).join(' ');
  return { text, citations, confidence };
}
