/**
 * Offline message triage: intent, priority, sentiment, urgency, escalation and language for one
 * customer message, with the reasons behind each call. Classical NLP only: folded text, weighted
 * intent rules (intent-rules.ts) combined with a multinomial naive Bayes trained at module load on a
 * hand-written seed corpus (triage-seed.ts), a sentiment lexicon, and priority rules. Deterministic,
 * no model files, well under a millisecond per message.
 */
import { matchIntentRules } from './intent-rules.js';
import { NaiveBayes, type LabelledDoc } from './naive-bayes.js';
import { decidePriority, detectSignals } from './priority-rules.js';
import { scoreSentiment } from './sentiment.js';
import { extractFeatures, type Language } from './text-features.js';
import { TRIAGE_SEED } from './triage-seed.js';

export const INTENTS = [
  'greeting', 'order_status', 'shipping_question', 'return_refund', 'product_question', 'stock_inquiry', 'pricing_payment',
  'complaint', 'human_request', 'job_application', 'campaign_reply', 'opt_out', 'spam', 'privacy_request', 'store_info',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface Triage {
  intent: Intent;
  priority: 'low' | 'medium' | 'high';
  sentiment: 'negative' | 'neutral' | 'positive';
  urgency: 'low' | 'medium' | 'high';
  escalate: boolean;
  language: Language;
  confidence: number;
  reasons: string[];
}

/** How many rule points a naive Bayes posterior of 1.0 is worth. */
const NB_WEIGHT = 2.5;
const NB_TEMPERATURE = 2;
const MAX_CHARS = 2000;
/** The tone an intent usually carries, added to the lexicon score. */
const SENTIMENT_PRIOR: Partial<Record<Intent, number>> = { complaint: -1.5, job_application: 1, campaign_reply: 1 };
const OVERRIDDEN_BY_SERIOUS = new Set<Intent>(['human_request', 'order_status', 'return_refund', 'pricing_payment', 'shipping_question', 'greeting']);
const LANGUAGE_NAME: Record<Language, string> = { en: 'English', nl: 'Dutch', other: 'another language' };

const classifier = new NaiveBayes<Intent>(
  INTENTS.flatMap((intent): LabelledDoc<Intent>[] => TRIAGE_SEED[intent].map((phrase) => ({ label: intent, features: extractFeatures(phrase).features }))),
);

function sentimentLabel(score: number): Triage['sentiment'] {
  if (score >= 1) return 'positive';
  if (score <= -1) return 'negative';
  return 'neutral';
}

export function triage(text: string, channel?: string): Triage {
  // Cues sit near the start; the cap keeps pathological inputs fast.
  const f = extractFeatures(typeof text === 'string' ? text.slice(0, MAX_CHARS) : '');
  const reasons: string[] = [];
  const hits = matchIntentRules(f.text);
  const posterior = classifier.posterior(f.features, NB_TEMPERATURE);

  const scores = new Map<Intent, number>(INTENTS.map((i) => [i, NB_WEIGHT * (posterior.get(i) ?? 0)]));
  for (const hit of hits) {
    // An email that opens with "Hello," is being polite, not greeting for its own sake.
    const weight = hit.intent === 'greeting' && channel === 'email' ? hit.weight / 2 : hit.weight;
    scores.set(hit.intent, scores.get(hit.intent)! + weight);
  }
  if (f.hasUrl) scores.set('spam', scores.get('spam')! + (hits.some((h) => h.intent === 'spam') ? 1.5 : 0.5));

  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || (posterior.get(b[0]) ?? 0) - (posterior.get(a[0]) ?? 0));
  let intent = ranked[0]![0];
  if (!f.text) intent = 'greeting'; // empty or emoji-only message
  // A chargeback, legal threat, injury or hijacked account is a complaint, even if the customer also
  // asks for a person or a refund: the underlying problem is what the team must handle.
  const serious = hits.some((h) => h.intent === 'complaint' && h.weight >= 4);
  if (serious && OVERRIDDEN_BY_SERIOUS.has(intent)) intent = 'complaint';
  const exp = ranked.map(([, s]) => Math.exp(s - ranked[0]![1]));
  const confidence = f.text ? Math.round((1 / exp.reduce((a, b) => a + b, 0)) * 100) / 100 : 0.3;

  const own = [...new Set(hits.filter((h) => h.intent === intent).map((h) => h.reason))];
  reasons.push(...own);
  const p = posterior.get(intent) ?? 0;
  if (p >= 0.3) {
    const evidence = classifier.topEvidence(f.features, intent);
    reasons.push(`similar to ${intent.replace('_', ' ')} examples (p=${p.toFixed(2)}${evidence.length ? `; ${evidence.join(', ')}` : ''})`);
  }
  if (!own.length && p < 0.3) reasons.push('no clear cue; best guess');

  const sentiment = scoreSentiment(f);
  let score = sentiment.score + (SENTIMENT_PRIOR[intent] ?? 0);
  if (intent === 'spam') score = 0; // a pitch's enthusiasm is not the sender's mood
  const mood = sentimentLabel(score);
  if (mood !== 'neutral') reasons.push(`${mood} tone${sentiment.reasons.length ? `: ${sentiment.reasons.slice(0, 2).join('; ')}` : ''}`);

  const signals = detectSignals(f, score);
  const decision = decidePriority(intent, mood, signals);
  if (decision.priority !== 'low') reasons.push(...signals.reasons);
  reasons.push(...decision.reasons);
  if (f.language !== 'en') reasons.push(`written in ${LANGUAGE_NAME[f.language]}`);

  return {
    intent,
    priority: decision.priority,
    sentiment: mood,
    urgency: intent === 'spam' ? 'low' : signals.urgency,
    escalate: decision.escalate,
    language: f.language,
    confidence,
    reasons: [...new Set(reasons)],
  };
}
