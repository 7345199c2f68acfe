import { fold } from './local/text-features.js';

export interface OutputSafetyContext {
  /** The instructions the model was given (not the articles): none of it may be repeated. */
  instructions: string;
  /** Text the reply may quote contact details from: the articles it was given. */
  published: string;
  /** The conversation's own contact: their details may be repeated to them. */
  contact: { email?: string | null; phone?: string | null };
}

export interface OutputSafetyResult {
  text: string;
  /** Set when the reply must not be sent at all. */
  blocked: boolean;
  flags: string[];
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Phone-like: international (+…) or trunk-prefixed (0…) numbers; bare digit runs are order or tracking numbers.
const PHONE = /(?:\+|\b0)\d[\d ()./-]{6,}\d/g;
const SHINGLE = 8;
// A brand's assistant never swears, whatever a model was talked into.
const PROFANITY = /\b(?:fuck\w*|shit\w*|bitch\w*|cunt\w*|asshole\w*|bastard\w*|dickhead\w*|motherfuck\w*|kut|klootzak\w*|godverdomme)\b/giu;
const digits = (s: string) => s.replace(/\D/g, '');

/** Identifier-like tokens (codes, keys, canaries): letters and digits mixed, six characters or more. */
function secretTokens(instructions: string, published: string): string[] {
  const pub = published.toLowerCase();
  return [...new Set(instructions.match(/[A-Za-z0-9][A-Za-z0-9_-]{5,}/g) ?? [])].filter(
    (t) => /\d/.test(t) && /[A-Za-z]/.test(t) && !pub.includes(t.toLowerCase()),
  );
}

function shingles(text: string): Set<string> {
  const words = fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(words.slice(i, i + SHINGLE).join(' '));
  return out;
}

/**
 * The last check on what the agent says, whatever produced it. A reply that repeats its
 * instructions (a prompt leak, canaries included) is withheld; email addresses and phone numbers
 * that are neither the customer's own nor in the articles are removed, so one customer's details
 * never reach another, even when the customer typed them in to have them repeated.
 */
export function protectOutput(reply: string, ctx: OutputSafetyContext): OutputSafetyResult {
  const flags: string[] = [];
  const lower = reply.toLowerCase();
  if (secretTokens(ctx.instructions, ctx.published).some((t) => lower.includes(t.toLowerCase()))) flags.push('prompt_leak');
  else {
    const own = shingles(ctx.instructions);
    const pub = shingles(ctx.published);
    for (const s of shingles(reply)) {
      if (own.has(s) && !pub.has(s)) {
        flags.push('prompt_leak');
        break;
      }
    }
  }
  if (flags.length) return { text: reply, blocked: true, flags };

  const published = ctx.published.toLowerCase();
  const publishedDigits = (ctx.published.match(PHONE) ?? []).map(digits);
  const ownEmail = ctx.contact.email?.toLowerCase();
  const ownPhone = ctx.contact.phone ? digits(ctx.contact.phone) : undefined;
  let text = reply.replace(EMAIL, (m) => {
    const e = m.toLowerCase();
    if (e === ownEmail || published.includes(e)) return m;
    flags.push('foreign_email');
    return '[removed]';
  });
  text = text.replace(PHONE, (m) => {
    const d = digits(m);
    if (d.length < 9 || d.length > 15) return m;
    if ((ownPhone && (d.endsWith(ownPhone.slice(-9)) || ownPhone.endsWith(d.slice(-9)))) || publishedDigits.includes(d)) return m;
    flags.push('foreign_phone');
    return '[removed]';
  });
  text = text.replace(PROFANITY, () => {
    flags.push('profanity');
    return '****';
  });
  return { text, blocked: false, flags: [...new Set(flags)] };
}
