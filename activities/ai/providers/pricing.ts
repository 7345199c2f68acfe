/** List prices in USD per million tokens (input, output). Unknown models cost 0 and are flagged. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'llama-3.3-70b-versatile': [0.59, 0.79],
  'llama-3.1-8b-instant': [0.05, 0.08],
};

export function costUsd(model: string, usage: { promptTokens: number; completionTokens: number }): { usd: number; priced: boolean } {
  // Dated variants (gpt-4o-mini-2024-07-18) take the price of the longest model name they extend.
  const base = Object.keys(PRICES)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  const price = base ? PRICES[base] : undefined;
  if (!price) return { usd: 0, priced: false };
  return { usd: (usage.promptTokens * price[0] + usage.completionTokens * price[1]) / 1_000_000, priced: true };
}
