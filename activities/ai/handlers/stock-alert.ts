import { fold } from '../local/text-features.js';

const STOPWORDS = new Set(
  'a an the my your this that these those is are was be back in stock available again still any do does did you have has will when can could please let me know if it its them they there for of to and or size sizes colour color i we our sold out restock restocked again anymore more soon yet get order buy want would like'.split(
    ' ',
  ),
);

/**
 * The product a stock question is about, as the customer named it: "Is the blue dress in size M
 * back in stock?" → "blue dress size m". Undefined when nothing product-like is left.
 */
export function extractProduct(text: string): string | undefined {
  const words = fold(text)
    .replace(/[^\p{L}\p{N} -]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const sizeAt = words.findIndex((w, i) => w === 'size' && words[i + 1]);
  const size = sizeAt >= 0 ? words[sizeAt + 1] : undefined;
  const kept = words.filter((w, i) => !STOPWORDS.has(w) && i !== sizeAt + 1 && w.length > 1);
  if (kept.length === 0) return undefined;
  return [...kept.slice(0, 6), ...(size ? ['size', size] : [])].join(' ');
}

/** Matching restocks against subscriptions ignores word order and plurals. */
export function productKey(product: string): string {
  return [...new Set(fold(product).split(/\s+/).map(singular).filter(Boolean))].sort().join(' ');
}

const singular = (w: string) => (/(?:ss|x|ch|sh)es$/.test(w) ? w.slice(0, -2) : /[^s]s$/.test(w) ? w.slice(0, -1) : w);
