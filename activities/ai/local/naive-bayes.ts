/**
 * A small multinomial naive Bayes text classifier with additive (Lidstone) smoothing.
 * Trained in memory from labelled feature lists; deterministic, no files, microseconds per query.
 */

export interface LabelledDoc<L extends string> {
  label: L;
  features: string[];
}

export class NaiveBayes<L extends string> {
  private readonly labels: L[];
  private readonly logPrior = new Map<L, number>();
  private readonly counts = new Map<L, Map<string, number>>();
  private readonly totals = new Map<L, number>();
  private readonly vocabulary = new Set<string>();

  /**
   * @param alpha smoothing added to every feature count
   * @param uniformPrior ignore class frequencies in the seed (the seed is not a sample of real traffic)
   */
  constructor(
    docs: LabelledDoc<L>[],
    private readonly alpha = 0.3,
    uniformPrior = true,
  ) {
    this.labels = [...new Set(docs.map((d) => d.label))];
    for (const label of this.labels) {
      this.counts.set(label, new Map());
      this.totals.set(label, 0);
    }
    const docCount = new Map<L, number>();
    for (const doc of docs) {
      docCount.set(doc.label, (docCount.get(doc.label) ?? 0) + 1);
      const counts = this.counts.get(doc.label)!;
      // Binary counts within a document: repetition in one phrase should not dominate.
      for (const f of new Set(doc.features)) {
        counts.set(f, (counts.get(f) ?? 0) + 1);
        this.totals.set(doc.label, this.totals.get(doc.label)! + 1);
        this.vocabulary.add(f);
      }
    }
    for (const label of this.labels) {
      const prior = uniformPrior ? 1 / this.labels.length : docCount.get(label)! / docs.length;
      this.logPrior.set(label, Math.log(prior));
    }
  }

  /**
   * Posterior probabilities per label; unseen features are ignored, so an empty query gives the prior.
   * A temperature above 1 softens naive Bayes' habitual over-confidence (its features are not independent).
   */
  posterior(features: string[], temperature = 1): Map<L, number> {
    const known = [...new Set(features)].filter((f) => this.vocabulary.has(f));
    const v = this.vocabulary.size;
    const logs = this.labels.map((label) => {
      const counts = this.counts.get(label)!;
      const denom = Math.log(this.totals.get(label)! + this.alpha * v);
      let score = this.logPrior.get(label)!;
      for (const f of known) score += Math.log((counts.get(f) ?? 0) + this.alpha) - denom;
      return score / temperature;
    });
    const max = Math.max(...logs);
    const exps = logs.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return new Map(this.labels.map((label, i) => [label, exps[i]! / sum]));
  }

  /** Features that most favour `label` over the average of the others, for the reasons list. */
  topEvidence(features: string[], label: L, n = 3): string[] {
    const v = this.vocabulary.size;
    const logp = (l: L, f: string) => Math.log(((this.counts.get(l)!.get(f) ?? 0) + this.alpha) / (this.totals.get(l)! + this.alpha * v));
    return [...new Set(features)]
      .filter((f) => this.vocabulary.has(f))
      .map((f) => {
        const others = this.labels.filter((l) => l !== label);
        const avg = others.reduce((s, l) => s + logp(l, f), 0) / Math.max(1, others.length);
        return { f, lift: logp(label, f) - avg };
      })
      .filter((x) => x.lift > 1)
      .sort((a, b) => b.lift - a.lift || a.f.localeCompare(b.f))
      .slice(0, n)
      .map((x) => x.f.replace('_', ' '));
  }
}
