/**
 * The offline methods behind the AI steps when a workspace has no model: label classification by
 * cue phrases and label words, and field extraction by pattern. Deterministic and explainable.
 */
import { extractCandidate } from '../../ai/handlers/job-application.js';
import { stem, words } from '../../knowledge/text.js';

/** Cue phrases for labels admins commonly use; a label outside this list is matched by its own words. */
const CUES: Record<string, string[]> = {
  interested: ['interested', 'price', 'prices', 'pricing', 'cost', 'how much', 'buy', 'purchase', 'order', 'want', 'available', 'quote', 'demo', 'sign up', 'subscribe', 'book', 'deal', 'offer', 'discount'],
  not_interested: ['not interested', 'no thanks', 'no thank you', 'stop', 'unsubscribe', 'do not want', "don't want", 'dont want', 'remove me', 'not now', 'too expensive', 'leave me alone', 'not for me'],
  question: ['how', 'what', 'when', 'where', 'why', 'which', 'can i', 'could you', 'is there', 'do you'],
  complaint: ['terrible', 'awful', 'broken', 'angry', 'disappointed', 'worst', 'complain', 'complaint', 'unacceptable', 'not working', 'damaged', 'late', 'never arrived'],
  spam: ['crypto', 'lottery', 'winner', 'click here', 'free money', 'casino', 'bitcoin', 'investment opportunity'],
  support: ['help', 'problem', 'issue', 'error', 'not working', 'broken', 'support', 'cannot', "can't", 'stuck'],
  sales: ['price', 'pricing', 'how much', 'cost', 'buy', 'quote', 'demo', 'purchase', 'discount', 'plan', 'upgrade'],
  billing: ['invoice', 'bill', 'billing', 'charge', 'charged', 'payment', 'refund', 'receipt', 'paid'],
  urgent: ['urgent', 'asap', 'immediately', 'right now', 'emergency', 'today'],
  positive: ['thanks', 'thank you', 'great', 'love', 'awesome', 'perfect', 'happy'],
  negative: ['bad', 'hate', 'terrible', 'awful', 'angry', 'disappointed', 'worst'],
  yes: ['yes', 'yeah', 'sure', 'ok', 'okay', 'yep', 'please do', 'sounds good', 'go ahead'],
  no: ['no', 'nope', 'nah', 'not really', 'never mind'],
};
const NEGATIONS = new Set(['not', 'no', 'dont', 'don', 'never', 'nt', 'without']);
const FALLBACK_LABELS = ['other', 'unknown', 'none', 'default', 'misc'];

const labelKey = (label: string) => label.trim().toLowerCase().replace(/[\s-]+/g, '_');
const tokens = (text: string) => text.toLowerCase().replace(/[’']/g, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Where `phrase` occurs in `toks`, as start positions. */
function occurrences(toks: string[], phrase: string): number[] {
  const p = tokens(phrase);
  const at: number[] = [];
  if (p.length === 0) return at;
  for (let i = 0; i + p.length <= toks.length; i++) if (p.every((w, j) => toks[i + j] === w || stem(toks[i + j]) === stem(w))) at.push(i);
  return at;
}

const negated = (toks: string[], i: number) => NEGATIONS.has(toks[i - 1] ?? '') || NEGATIONS.has(toks[i - 2] ?? '');

export function classifyLocally(text: string, labels: string[]): { label: string; confidence: number } {
  const toks = tokens(text);
  const scores = labels.map((label) => {
    const key = labelKey(label);
    const positive = key.startsWith('not_') || key.startsWith('no_') ? null : key;
    const cues = CUES[key] ?? words(label.replace(/[_-]/g, ' '));
    let score = 0;
    for (const cue of new Set([...cues, label.replace(/[_-]/g, ' ')])) {
      const weight = tokens(cue).length;
      for (const i of occurrences(toks, cue)) {
        // "not interested" is no vote for "interested": a negated cue counts for its opposite only.
        if (positive && weight === 1 && negated(toks, i)) continue;
        score += weight;
      }
    }
    return score;
  });
  // A negated cue of a label with a `not_` twin counts for the twin.
  labels.forEach((label, li) => {
    const key = labelKey(label);
    const twin = key.replace(/^(not|no)_/, '');
    if (twin === key) return;
    const twinCues = CUES[twin] ?? [twin.replace(/_/g, ' ')];
    for (const cue of twinCues) if (tokens(cue).length === 1) for (const i of occurrences(toks, cue)) if (negated(toks, i)) scores[li] += 1;
  });
  const total = scores.reduce((a, b) => a + b, 0);
  const best = Math.max(...scores);
  if (best === 0) {
    const fallback = labels.find((l) => FALLBACK_LABELS.includes(labelKey(l))) ?? labels[0];
    return { label: fallback, confidence: 0 };
  }
  return { label: labels[scores.indexOf(best)], confidence: Math.round((best / total) * 100) / 100 };
}

export type FieldType = 'string' | 'number' | 'boolean' | 'date';
export interface FieldSpec {
  name: string;
  type: FieldType;
  description?: string;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A date written as 2026-03-12, 12/03/2026 (day first), 12 March 2026 or March 12, 2026, as ISO. */
export function findDate(text: string): string | null {
  const month = `(${MONTHS.map((x) => x.slice(0, 3) + `(?:${x.slice(3)})?`).join('|')})`;
  const forms: Array<[RegExp, (m: RegExpExecArray) => [number, number, number]]> = [
    [/(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/, (m) => [+m[1], +m[2], +m[3]]],
    [/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/, (m) => [+m[3], +m[2], +m[1]]],
    [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${month}\\.?,?\\s+(\\d{4})\\b`, 'i'), (m) => [+m[3], monthIndex(m[2]) + 1, +m[1]]],
    [new RegExp(`\\b${month}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'), (m) => [+m[3], monthIndex(m[1]) + 1, +m[2]]],
  ];
  for (const [re, parts] of forms) {
    const m = re.exec(text);
    if (!m) continue;
    const [y, mo, d] = parts(m);
    // 2026-02-30 is no date: it would roll over into March.
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) return `${y}-${pad(mo)}-${pad(d)}`;
  }
  return null;
}
const monthIndex = (name: string) => MONTHS.findIndex((x) => x.startsWith(name.toLowerCase().slice(0, 3)));

/** The words a field goes by: its name split on case and underscores, and its description. */
function fieldWords(f: FieldSpec): string[] {
  const name = f.name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return [...new Set([name, ...name.split(' ').filter((w) => w.length > 2), ...words(f.description ?? '').filter((w) => w.length > 3)])];
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text right after "<field words> is|:|=" (or "my <field> is"), up to the end of the clause. */
function labelled(text: string, f: FieldSpec): string | null {
  for (const w of fieldWords(f)) {
    const m = new RegExp(`\\b${escapeRe(w)}\\s*(?:is|are|:|=|-)\\s*([^,;\\n.!?]+(?:\\.\\d+)?)`, 'i').exec(text);
    if (m) return m[1].trim();
  }
  return null;
}

export function asNumber(s: string | null): number | null {
  const m = s && /-?\d+(?:[.,]\d+)?/.exec(s.replace(/(\d),(\d{3})\b/g, '$1$2'));
  return m ? Number(m[0].replace(',', '.')) : null;
}

export function asBoolean(s: string | null): boolean | null {
  if (!s) return null;
  if (/^\s*(yes|yeah|true|y|sure|correct|definitely)\b/i.test(s)) return true;
  if (/^\s*(no|nope|false|n|not)\b/i.test(s)) return false;
  return null;
}

export function extractLocally(text: string, fields: FieldSpec[]): Record<string, string | number | boolean | null> {
  const candidate = extractCandidate(text);
  // "2,500" is one number, not the end of a clause.
  const plain = text.replace(/(\d),(\d{3})\b/g, '$1$2');
  const out: Record<string, string | number | boolean | null> = {};
  for (const f of fields) {
    const key = fieldWords(f)[0];
    const near = labelled(plain, f);
    let value: string | number | boolean | null = null;
    if (f.type === 'number') value = asNumber(near) ?? (fields.filter((x) => x.type === 'number').length === 1 ? asNumber(plain) : null);
    else if (f.type === 'boolean') value = asBoolean(near);
    else if (f.type === 'date') value = findDate(near ?? '') ?? (fields.filter((x) => x.type === 'date').length === 1 ? findDate(text) : null);
    else if (/e-?mail/.test(key)) value = EMAIL.exec(text)?.[0].toLowerCase() ?? null;
    else if (/phone|mobile|number/.test(key)) value = candidate.phone ?? near;
    else if (/\bname\b/.test(key)) value = near && !/^(is|a|an)$/i.test(near) ? near : (candidate.name ?? null);
    else value = near;
    out[f.name] = value === '' ? null : value;
  }
  return out;
}
