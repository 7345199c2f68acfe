import { fold } from '../local/text-features.js';

export type CampaignResponse = 'interested' | 'not_interested' | 'opt_out' | 'question';

const OPT_OUT = /\b(stop|unsubscribe|opt ?out|no more (messages|texts)|remove me|afmelden|uitschrijven)\b/;
const NO = /\b(no|nope|not interested|no thanks|nee|geen interesse|not for me|pass)\b/;
const YES = /\b(yes|yeah|yep|sure|interested|sounds good|i want|id like|count me in|ja|graag|love (it|to)|tell me more|sign me up)\b/;

/** How a customer answered a campaign message; a question goes on to the knowledge base. */
export function classifyCampaignResponse(text: string): CampaignResponse {
  const t = fold(text);
  if (OPT_OUT.test(t)) return 'opt_out';
  if (NO.test(t)) return 'not_interested';
  if (YES.test(t)) return 'interested';
  return 'question';
}
