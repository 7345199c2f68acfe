/**
 * Lexicon sentiment for English and Dutch with negation ("not happy"), intensifiers ("very
 * disappointed"), multi-word cues ("isn't working", "niks gehoord"), emoji, "!!!" and shouting.
 * Returns a signed score; the caller turns it into negative / neutral / positive.
 */
import type { TextFeatures } from './text-features.js';

const POSITIVE: Record<string, number> = {
  good: 1, great: 2, perfect: 2, love: 2, loved: 2, lovely: 2, awesome: 2, amazing: 2, excellent: 2, fantastic: 2,
  wonderful: 2, brilliant: 2, beautiful: 1.5, happy: 1.5, glad: 1.5, pleased: 1.5, thanks: 1, thank: 1, thx: 1,
  appreciate: 1.5, appreciated: 1.5, nice: 1, cool: 1, super: 1, excited: 1.5, enjoy: 1.5, helpful: 1.5, yes: 1, yay: 2,
  comfortable: 1, recommend: 1, fijn: 1.5, leuk: 1.5, top: 1, geweldig: 2, blij: 1.5, tevreden: 1.5, mooi: 1, bedankt: 1,
  dank: 1, prima: 1, gracias: 1, merci: 1, danke: 1,
};
const NEGATIVE: Record<string, number> = {
  bad: 1.5, terrible: 2.5, terribly: 2, joke: 1.5, unacceptable: 2.5, shrank: 1, awful: 2.5, horrible: 2.5, worst: 3, disappointed: 2, disappointing: 2, angry: 2.5, furious: 3,
  annoyed: 2, annoying: 2, irritating: 2, irritant: 2, vervelend: 1.5, ontevreden: 2, frustrated: 2, frustrating: 2, upset: 2, ridiculous: 2.5, poor: 1.5, hate: 2.5, useless: 2,
  scam: 2.5, rude: 2, broke: 1.5, broken: 1.5, damaged: 1.5, defective: 1.5, faulty: 1.5, ripped: 1.5, leaks: 1.5, late: 1,
  delayed: 1, never: 1, nobody: 1.5, problem: 1, issue: 1, wrong: 1.5, missing: 1.5, lost: 1, failed: 1.5, declined: 1,
  error: 1, chargeback: 2, lawyer: 2, attorney: 2, police: 2, burn: 2, injury: 2, injured: 2, hurt: 2, hacked: 2,
  unauthorized: 1.5, fraud: 2, complaint: 1.5, sadly: 1, unfortunately: 1, stuck: 1, kapot: 1.5, slecht: 2, slechte: 2,
  teleurgesteld: 2, boos: 2, belachelijk: 2.5, waardeloos: 2.5, schandalig: 3, helaas: 1, klacht: 1.5, nooit: 1, niemand: 1.5,
};

const PHRASES: [RegExp, number, string][] = [
  [/\b(?:isnt|is not|not|doesnt|does not|dont|wont|niet) work(?:ing)?\b|\bwerkt niet\b|\bstopped working\b/, -1.5, 'something is not working'],
  [/\b(?:still (?:hasnt|has not|havent|have not|not|no|shows|says|stuck|processing)|what (?:is|s) going on|(?:hasnt|has not|havent|not) (?:moved|updated)|whats going on|where is my money|where is the rest|nog steeds (?:niet|geen)|still waiting|wacht nog steeds|wacht al|(?:have|ive) been waiting|waiting (?:for )?(?:over |more than )?(?:a|\d+|two|three) (?:week|weeks|days))\b/, -1.5, 'still waiting'],
  [/\b(?:niks|niets) gehoord|\bheard nothing|\bno (?:response|reply|answer)|\b(?:nobody|no one|noone) (?:answers|replies|responds|helps)/, -1.5, 'no response'],
  [/\b(?:charged twice|double charged|dubbel afgeschreven|waste of money|fed up|had enough)\b/, -2, 'billing or frustration'],
  [/\b(?:dont|do not|no) (?:want (?:to (?:talk|chat|speak) (?:to|with) )?)?(?:a |the |this |your )?(?:bot|robot|chatbot|machine)\b|\b(?:not|no more|stop sending me|enough with the) (?:automated|automatic|canned|standard|generic) (?:answers|replies|responses|messages)|\b(?:not interested|geen interesse|quit sending|not (?:ok|okay|acceptable)|niet (?:ok|oke|acceptabel)|do something)\b/, -1.5, 'frustrated with the bot'],
  [/\b(?:someone|somebody) (?:is using|used|hacked) my account|\b(?:didnt|did not|never) (?:make|place|order) (?:them|those|these|it)?\b/, -1.5, 'unauthorised activity'],
  [/\bhope (?:you(?:re| are)|all is|everything is) (?:well|good|doing well|great)\b|\bsounds (?:great|good|amazing|perfect)\b/, 1.5, 'friendly tone'],
];

const NEGATORS = new Set(['not', 'no', 'never', 'dont', 'doesnt', 'isnt', 'wasnt', 'arent', 'didnt', 'cant', 'wont', 'hardly', 'without', 'niet', 'geen', 'nooit', 'nicht', 'kein', 'keine']);
const INTENSIFIERS = new Set(['very', 'really', 'so', 'extremely', 'super', 'totally', 'absolutely', 'completely', 'honestly', 'incredibly', 'heel', 'erg', 'zeer', 'echt', 'enorm', 'ontzettend', 'sehr', 'muy', 'tres']);
/** Greeting formulas are not sentiment: "good morning" is neutral. */
const FORMULAS = /\bgood (?:morning|afternoon|evening|day|night)\b|\b(?:thank you|thanks) (?:for your|in advance)\b|\b(?:i would|id|would) appreciate (?:it )?if\b/g;

export interface SentimentResult {
  score: number;
  reasons: string[];
}

export function scoreSentiment(f: TextFeatures): SentimentResult {
  const reasons: string[] = [];
  const text = f.text.replace(FORMULAS, ' ');
  const tokens = text.split(/\s+/).filter(Boolean);
  let score = 0;
  const hitWords: string[] = [];
  tokens.forEach((tok, i) => {
    const pos = Object.hasOwn(POSITIVE, tok) ? POSITIVE[tok] : undefined;
    const neg = Object.hasOwn(NEGATIVE, tok) ? NEGATIVE[tok] : undefined;
    if (pos === undefined && neg === undefined) return;
    let value = pos ?? -neg!;
    const window = tokens.slice(Math.max(0, i - 3), i);
    if (INTENSIFIERS.has(tokens[i - 1] ?? '')) value *= 1.5;
    if (tok !== 'never' && tok !== 'nooit' && window.some((w) => NEGATORS.has(w))) value = value > 0 ? -value : -value * 0.5;
    hitWords.push(value < 0 ? `-${tok}` : `+${tok}`);
    score += value;
  });
  if (hitWords.length) reasons.push(`sentiment words: ${hitWords.slice(0, 4).join(' ')}`);
  for (const [pattern, value, why] of PHRASES) {
    if (pattern.test(text)) {
      score += value;
      reasons.push(why);
    }
  }
  const emoji = f.positiveEmoji - f.negativeEmoji;
  if (emoji !== 0) {
    score += Math.sign(emoji) * Math.min(2, Math.abs(emoji)) * 1.2;
    reasons.push(emoji > 0 ? 'positive emoji' : 'negative emoji');
  }
  // Loudness amplifies whatever polarity is already there; it carries none of its own.
  let amplify = 1;
  if (f.exclamations >= 2) amplify += 0.25;
  if (f.allCaps || f.shoutedWords.length > 0) amplify += 0.25;
  if (amplify > 1 && score !== 0) {
    score *= amplify;
    reasons.push(f.allCaps || f.shoutedWords.length ? 'shouting (capitals)' : 'repeated exclamation marks');
  }
  return { score: Math.round(score * 100) / 100, reasons };
}
