/**
 * Text normalisation and surface features for the offline triage: accent folding, tokenising, a light
 * English/Dutch suffix stemmer, language guessing and the "loudness" cues (caps, !!!, emoji, links)
 * that survive only in the raw text. Pure functions, no I/O.
 */

export type Language = 'en' | 'nl' | 'other';

export interface TextFeatures {
  raw: string;
  /** Lower-case, accents folded, apostrophes dropped, other punctuation turned into single spaces. */
  text: string;
  tokens: string[];
  /** Stemmed unigrams plus bigrams of stems: the naive Bayes features. */
  features: string[];
  language: Language;
  question: boolean;
  exclamations: number;
  /** Words of three or more letters written in capitals (e.g. "NOW", "NEVER"), acronyms excepted. */
  shoutedWords: string[];
  allCaps: boolean;
  hasUrl: boolean;
  positiveEmoji: number;
  negativeEmoji: number;
}

const ACRONYMS = new Set(['DHL', 'UPS', 'GLS', 'DPD', 'TNT', 'GDPR', 'AVG', 'SEO', 'VAT', 'BTW', 'EU', 'UK', 'USA', 'ACM', 'CV', 'XL', 'XXL', 'PDF', 'SMS', 'FAQ', 'ASAP', 'NL', 'KVK', 'IBAN']);
const POSITIVE_EMOJI = /(?:[\u{1F600}-\u{1F60D}\u{1F617}-\u{1F61D}\u{1F642}\u{1F643}\u{1F970}\u{1F929}\u{1F44D}\u{1F44F}\u{1F64F}\u{1F389}\u{2764}\u{1F49A}\u{1F499}\u{1F49B}\u{1F49C}\u{2728}\u{1F525}]|[:;]-?[)D]|<3)/gu;
const NEGATIVE_EMOJI = /(?:[\u{1F620}-\u{1F62D}\u{1F61E}\u{1F61F}\u{1F92C}\u{1F44E}\u{1F494}\u{1F612}\u{1F644}\u{1F621}\u{1F624}]|:-?\(|:'\()/gu;
const URL = /(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|xyz|io|biz|info|ru|top|click|example|ly|link|shop)\b/i;

// Distinctive function words per language; "other" covers German, Spanish and French.
const LANG_WORDS: Record<'en' | 'nl' | 'de' | 'es' | 'fr', string[]> = {
  en: 'the a an is are my your you i me it to of and for with what where when how can could do does please thanks thank hi hello not this that have has was will would want order'.split(' '),
  nl: 'de het een ik mijn jullie je niet wat waar hoe wanneer kan kunnen wil graag bedankt dank nog al geen niks niets naar voor met van ook maar heb heeft is zijn deze dit bestelling hoeveel hallo hoi welke'.split(' '),
  de: 'ich meine mein ist der die das und nicht wie wo wann bitte danke haben sie mochte kann bestellung ein eine zuruck'.split(' '),
  es: 'el la los las mi mis es en que donde cuando como por favor gracias tienen teneis quiero una un otra vez hola pedido'.split(' '),
  fr: 'le la les mon ma mes est et pas ou quand comment merci vous avez je suis une un bonjour commande voudrais'.split(' '),
};

export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[\u2018\u2019'`´]/g, '')
    .replace(/[^a-z0-9€#]+/g, ' ')
    .trim();
}

/** Light English/Dutch suffix stripping, then a length cap so word families share one key. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4) {
    if (w.endsWith('ies') || w.endsWith('ied')) w = `${w.slice(0, -3)}y`;
    else {
      for (const suffix of ['ingen', 'ing', 'heid', 'tjes', 'tje', 'ed', 'es', 'en', 'ly', 's', 'e']) {
        if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
          w = w.slice(0, -suffix.length);
          break;
        }
      }
    }
    if (/([bdfgklmnprst])\1$/.test(w)) w = w.slice(0, -1); // shipp -> ship, bestell -> bestel
  }
  return w.slice(0, 6);
}

export function detectLanguage(tokens: string[]): Language {
  const counts = { en: 0, nl: 0, de: 0, es: 0, fr: 0 };
  for (const t of tokens) {
    for (const lang of Object.keys(LANG_WORDS) as (keyof typeof counts)[]) {
      if (LANG_WORDS[lang].includes(t)) counts[lang] += 1;
    }
  }
  const other = Math.max(counts.de, counts.es, counts.fr);
  if (counts.nl > counts.en && counts.nl >= other) return 'nl';
  if (other > counts.en && other > counts.nl) return 'other';
  return 'en';
}

export function extractFeatures(raw: string): TextFeatures {
  const text = fold(raw);
  const tokens = text ? text.split(' ') : [];
  const stems = tokens.map(stem);
  const features = [...stems];
  for (let i = 1; i < stems.length; i++) features.push(`${stems[i - 1]}_${stems[i]}`);
  const capsWords = raw.match(/\b[A-Z]{2,}\b/g) ?? [];
  const letters = raw.replace(/[^A-Za-z]/g, '');
  return {
    raw,
    text,
    tokens,
    features,
    language: detectLanguage(tokens),
    question: raw.includes('?') || /^(how|what|where|when|why|who|which|can|could|do|does|is|are|will|would|hoe|wat|waar|wanneer|kan|kunnen|zijn|hebben|is)\b/.test(text),
    exclamations: (raw.match(/!/g) ?? []).length,
    shoutedWords: capsWords.filter((w) => w.length >= 3 && !ACRONYMS.has(w)),
    allCaps: letters.length >= 6 && letters === letters.toUpperCase(),
    hasUrl: URL.test(raw),
    positiveEmoji: (raw.match(POSITIVE_EMOJI) ?? []).length,
    negativeEmoji: (raw.match(NEGATIVE_EMOJI) ?? []).length,
  };
}
