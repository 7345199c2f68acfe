/**
 * The p-th percentile (0–100) of `xs` as the benches and evals report it: the sorted sample at index
 * floor(p/100 · n), capped at the last one. Unrounded: each caller rounds to what it prints. An empty
 * sample gives undefined (NaN once rounded, null in the JSON). `xs` is left as it was.
 */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
