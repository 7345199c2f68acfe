/**
 * Priority, urgency and escalation for the offline triage.
 * - high: a threat of chargeback, a lawyer or authorities; safety or injury; account takeover; or time
 *   pressure together with a problem (and a frustrated demand for a human).
 * - medium: something to act on (orders, returns, stock, jobs, campaign replies, data requests, problems).
 * - low: general questions, greetings, opt-outs and spam.
 * Escalate: every human request, and anything high priority that is not spam.
 */
import type { TextFeatures } from './text-features.js';
import type { Intent } from './triage.js';

type Level = 'low' | 'medium' | 'high';

const RISKS: [RegExp, string][] = [
  [/\b(?:chargeback|charge back|charging back|(?:open|file|start|raise) (?:a )?(?:dispute|claim|case) (?:with|at|via|through)|paypal (?:dispute|claim)|dispute (?:the|this|my) (?:charge|payment|transaction)|terugboeking|storneren|storno)\b/, 'mentions chargeback'],
  [/\b(?:lawyer|attorney|solicitor|advocaat|legal action|legal steps|juridische stappen|sue (?:you|your)|take you to court|court|rechter|small claims)\b/, 'threatens legal action'],
  [/\b(?:police|politie|consumer (?:authority|protection|rights (?:body|organisation))|trading standards|acm|consumentenbond|geschillencommissie|ombudsman|report (?:you|this) to)\b/, 'mentions the authorities'],
  [/\b(?:burn|burns|burned|burnt|injury|injured|hurt (?:me|my|him|her)|got hurt|rash|allergic reaction|bleeding|caught fire|on fire|dangerous|unsafe|safety (?:issue|hazard|risk)|poison(?:ed|ous)?|toxic|verbrand|gewond|gevaarlijk|brandwond)\b/, 'safety issue or injury'],
  [/\b(?:(?:someone|somebody|iemand) (?:has |have |heeft )?(?:is using|used|changed|reset|accessed|hacked|logged into|got into|took over|gebruikt|veranderd|gewijzigd) (?:\w+ ){0,2}(?:my|mijn) (?:account|password|wachtwoord|login|email)|hacked|(?:account|password) (?:was |has been |is )?(?:hacked|compromised|stolen|taken over|changed without)|orders? (?:that )?i (?:didnt|did not|never) (?:make|place|placed|order)|unauthori[sz]ed (?:order|payment|purchase|login|access)|not made by me|account overgenomen)\b/, 'possible account takeover'],
];

const URGENT = /\b(?:urgent|urgently|asap|as soon as possible|immediately|right now|right away|emergency|dringend|spoed|zsm|zo snel mogelijk|meteen|onmiddellijk|sofort)\b/;
const TODAY = /\b(?:today|tonight|this (?:morning|afternoon|evening)|vandaag|vanavond|now)\b/;
const DEADLINE = new RegExp(
  '\\b(?:tomorrow|morgen|this week|deze week|(?:before|by|until|voor|uiterlijk) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|tomorrow|morgen|the weekend|het weekend|next week|my (?:trip|holiday|vacation|flight)|christmas|kerst)|deadline|in time|on time for|(?:hiking |camping |ski )?trip|holiday|vacation|vakantie|leaving (?:on|in)|my flight|flying|departure|vertrek|need (?:it|them|this|my \\w+|the \\w+) (?:by|before|for|voor))\\b',
);
/** A plain weekday ("on Thursday") only signals time pressure when something is wrong. */
const WEEKDAY = /\b(?:on|this|next|coming|op|deze|volgende|aanstaande) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\b/;
const PROBLEM = /\b(?:not (?:yet )?(?:shipped|arrived|received|delivered|working|fixed|refunded)|(?:hasnt|has not|havent|have not|still not|never) (?:been )?(?:shipped|arrived|received|delivered|got|come|refunded)|isnt fixed|missing|lost|wrong|broken|broke|damaged|defective|charged (?:twice|double)|double charged|failed|declined|error|late|delayed|stuck|nobody (?:answers|replies|responds)|niet (?:ontvangen|verzonden|aangekomen|geleverd)|kapot|mislukt|kwijt|te laat|werkt niet|no (?:reply|response|answer)|(?:supposed|expected|due) to (?:arrive|be delivered|be here)|should have (?:arrived|been delivered|been here)|overdue|where is the rest|(?:hasnt|has not|havent|not) (?:moved|updated)|cancell?ed|geannuleerd|where is my money|waar is mijn geld)\b/;

export interface Signals {
  risks: string[];
  urgency: Level;
  problem: boolean;
  reasons: string[];
}

export function detectSignals(f: TextFeatures, sentimentScore: number): Signals {
  const risks = RISKS.filter(([p]) => p.test(f.text)).map(([, why]) => why);
  const reasons: string[] = [];
  const problem = PROBLEM.test(f.text) || sentimentScore <= -1;
  const shoutedNow = /\bNOW\b/.test(f.raw);
  let urgency: Level = 'low';
  if (URGENT.test(f.text) || shoutedNow) {
    urgency = 'high';
    reasons.push('asks for urgent action');
  } else if (TODAY.test(f.text) || DEADLINE.test(f.text) || (problem && WEEKDAY.test(f.text))) {
    urgency = problem ? 'high' : 'medium';
    reasons.push('time pressure (deadline or date)');
  }
  if (risks.length) urgency = 'high';
  return { risks, urgency, problem, reasons };
}

const BASE: Record<Intent, Level> = {
  greeting: 'low', spam: 'low', opt_out: 'low', store_info: 'low', shipping_question: 'low', product_question: 'low',
  pricing_payment: 'low', order_status: 'medium', return_refund: 'medium', stock_inquiry: 'medium', complaint: 'medium',
  human_request: 'medium', job_application: 'medium', campaign_reply: 'medium', privacy_request: 'medium',
};
/** Intents where time pressure plus a problem makes the case urgent. */
const ACTIONABLE = new Set<Intent>(['order_status', 'return_refund', 'complaint', 'human_request', 'pricing_payment', 'shipping_question', 'product_question', 'stock_inquiry']);

export interface PriorityDecision {
  priority: Level;
  escalate: boolean;
  reasons: string[];
}

export function decidePriority(intent: Intent, sentiment: 'negative' | 'neutral' | 'positive', s: Signals): PriorityDecision {
  const reasons: string[] = [];
  let priority: Level = BASE[intent];
  if (intent === 'spam' || intent === 'opt_out') {
    reasons.push(intent === 'spam' ? 'spam is low priority' : 'opt-out is handled automatically');
  } else if (s.risks.length) {
    priority = 'high';
    reasons.push(...s.risks);
  } else if (ACTIONABLE.has(intent) && s.problem && s.urgency !== 'low') {
    priority = 'high';
    reasons.push('problem under time pressure');
  } else if (intent === 'human_request' && (sentiment === 'negative' || s.urgency === 'high')) {
    priority = 'high';
    reasons.push('frustrated or urgent request for a person');
  } else if (priority === 'low' && s.problem && intent !== 'greeting') {
    priority = 'medium';
    reasons.push('reports a problem to act on');
  }
  let escalate = false;
  if (intent === 'human_request') {
    escalate = true;
    reasons.push('escalate: customer asks for a human');
  } else if (priority === 'high' && intent !== 'spam' && intent !== 'opt_out') {
    escalate = true;
    reasons.push(intent === 'complaint' ? 'escalate: high-priority complaint' : 'escalate: urgent problem');
  }
  return { priority, escalate, reasons };
}
