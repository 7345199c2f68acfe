import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INTENTS, triage, type Intent } from './triage.js';

interface DevRow {
  id: string;
  channel: string;
  text: string;
  intent: Intent;
  priority: string;
  sentiment: string;
  escalate: boolean;
}

const DEV_PATH = fileURLToPath(new URL('../../../../shared/eval/triage.jsonl', import.meta.url));

/** Held-out cases written for this test, worded differently from the development set. */
const HELD_OUT: [Intent, string][] = [
  ['greeting', 'Hey! 👋'],
  ['greeting', 'Goedemorgen!'],
  ['greeting', 'Many thanks, you have been very helpful'],
  ['greeting', 'The fleece arrived today and it fits like a glove, great job'],
  ['order_status', 'Any news on order 55120? Still nothing in my mailbox'],
  ['order_status', 'I ordered a backpack 4 days ago and the track and trace still says label created'],
  ['order_status', 'Is mijn bestelling al onderweg?'],
  ['order_status', 'When can I expect my package? Ordered last Tuesday'],
  ['shipping_question', 'What does it cost to send an order to Germany?'],
  ['shipping_question', 'Do you offer same-day delivery in Utrecht?'],
  ['shipping_question', 'Which courier do you work with for Belgium?'],
  ['shipping_question', 'Leveren jullie ook in Frankrijk?'],
  ['return_refund', 'The trousers are too long, how can I send them back?'],
  ['return_refund', "I still haven't received the refund for the boots I returned"],
  ['return_refund', 'Kan ik mijn jas omruilen voor een maat groter?'],
  ['return_refund', 'Is it possible to swap the red beanie for a blue one?'],
  ['product_question', 'Are the trail shoes suitable for wide feet?'],
  ['product_question', 'What is the fill weight of the down sleeping bag?'],
  ['product_question', 'Is de regenbroek ademend?'],
  ['product_question', 'Can the softshell be tumble dried?'],
  ['stock_inquiry', 'Will the navy rain jacket come back in XS?'],
  ['stock_inquiry', 'Do you have the merino hoodie in large in the Utrecht shop?'],
  ['stock_inquiry', 'Zijn de wandelschoenen in maat 38 nog leverbaar?'],
  ['stock_inquiry', 'The grey fleece is sold out in M, any idea when you get more?'],
  ['pricing_payment', 'Is there a discount for members of a hiking club?'],
  ['pricing_payment', 'Can I pay by bank transfer?'],
  ['pricing_payment', 'How much are the trail trousers?'],
  ['pricing_payment', 'Kan ik met Klarna achteraf betalen?'],
  ['complaint', 'Really poor quality, the stitching on my backpack came undone after 2 trips'],
  ['complaint', 'Your customer service is a joke, I have emailed three times without any answer'],
  ['complaint', 'The fleece I bought shrank terribly after one wash, not acceptable'],
  ['complaint', 'I will report this to the police, you sent an empty box and refuse to help'],
  ['complaint', 'Ik ben echt boos, de schoenen lekken na twee weken'],
  ['human_request', 'Is there a human I can chat with?'],
  ['human_request', 'I would like to speak with one of your staff members'],
  ['human_request', 'This bot is useless, let me talk to customer support'],
  ['human_request', 'Kan ik een medewerker aan de lijn krijgen?'],
  ['job_application', 'Are you looking for new staff for the Christmas period?'],
  ['job_application', 'I want to send my CV for the sales job'],
  ['job_application', 'Is er nog plek voor een bijbaan in de winkel?'],
  ['job_application', 'I would love to work in your shop, I am passionate about hiking'],
  ['campaign_reply', 'Yes please, I want the 15% off code'],
  ['campaign_reply', 'Interested! How do I get the early access?'],
  ['campaign_reply', 'Ja, ik wil graag meedoen met de actie'],
  ['campaign_reply', 'Count me in for the winter sale preview'],
  ['opt_out', 'unsubscribe'],
  ['opt_out', 'Please stop texting me'],
  ['opt_out', 'I no longer want to receive your newsletters'],
  ['opt_out', 'Haal mij van de mailinglijst'],
  ['spam', 'Earn money fast with our crypto trading bot, DM us'],
  ['spam', 'Congratulations! You are our lucky winner, claim at bit.ly/xyz'],
  ['spam', 'We are an agency that can grow your Instagram to 10k followers'],
  ['spam', 'Cheap Ray-Ban sunglasses 90% off visit www.cheap-shades.example'],
  ['privacy_request', 'Which personal details do you keep about me?'],
  ['privacy_request', 'Under the GDPR I request a copy of all my data'],
  ['privacy_request', 'Please wipe my account and everything linked to it'],
  ['privacy_request', 'Ik wil dat jullie mijn gegevens wissen'],
  ['store_info', 'Is the shop open on Easter Monday?'],
  ['store_info', 'How late are you open tonight?'],
  ['store_info', 'Where in Utrecht can I find your store?'],
  ['store_info', 'Wat is het adres van de winkel?'],
];

describe('triage on the development set', () => {
  it('finds the development set', () => {
    expect(existsSync(DEV_PATH)).toBe(true);
  });

  const rows: DevRow[] = existsSync(DEV_PATH)
    ? readFileSync(DEV_PATH, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DevRow)
    : [];

  it('meets the intent accuracy and escalation goals', () => {
    expect(rows.length).toBeGreaterThan(0);
    let correct = 0;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const row of rows) {
      const t = triage(row.text, row.channel);
      if (t.intent === row.intent) correct++;
      if (t.escalate && row.escalate) tp++;
      else if (t.escalate) fp++;
      else if (row.escalate) fn++;
    }
    expect(correct / rows.length).toBeGreaterThanOrEqual(0.85);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.95);
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.8);
  });
});

describe('triage on held-out phrasing', () => {
  it('covers every intent', () => {
    expect(new Set(HELD_OUT.map(([intent]) => intent))).toEqual(new Set(INTENTS));
  });

  it.each(HELD_OUT)('%s: %s', (intent, text) => {
    expect(triage(text).intent).toBe(intent);
  });

  it('flags urgent problems, threats, safety and account takeover as high and escalates them', () => {
    for (const text of [
      'I am flying to Norway on Thursday and my boots still have not arrived, please help!',
      "I'm going to dispute the payment with my credit card company if you don't reply",
      'Someone changed my password and ordered stuff on my account',
      'The stove you sold me leaked gas and my son got hurt',
    ]) {
      const t = triage(text, 'whatsapp');
      expect(t, text).toMatchObject({ priority: 'high', escalate: true });
      expect(t.reasons.length).toBeGreaterThan(0);
    }
  });

  it('keeps questions, greetings and spam low and unescalated', () => {
    for (const text of ['Thanks for the help!', 'Do you ship to Austria?', 'WIN a FREE trip to Bali!!! click here']) {
      expect(triage(text), text).toMatchObject({ priority: 'low', escalate: false });
    }
  });

  it('always escalates a request for a person', () => {
    expect(triage('can someone from the team phone me tomorrow?').escalate).toBe(true);
  });

  it('reads sentiment with negation, intensifiers, emoji and shouting', () => {
    expect(triage('Absolutely love the new jacket 😍').sentiment).toBe('positive');
    expect(triage('NOT happy with the service!!!').sentiment).toBe('negative');
    expect(triage('The boots are not bad at all').sentiment).not.toBe('negative');
    expect(triage('Where is my order 12345?').sentiment).toBe('neutral');
  });

  it('detects language', () => {
    expect(triage('Waar blijft mijn pakket?').language).toBe('nl');
    expect(triage('Where is my parcel?').language).toBe('en');
    expect(triage('¿Dónde está mi pedido?').language).toBe('other');
  });

  it('explains its decisions and is deterministic', () => {
    const a = triage('If you do not refund me today I will file a chargeback!', 'email');
    expect(a.reasons).toContain('mentions chargeback');
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
    expect(triage('If you do not refund me today I will file a chargeback!', 'email')).toEqual(a);
  });

  it('handles empty and odd input', () => {
    expect(INTENTS).toContain(triage('').intent);
    expect(INTENTS).toContain(triage('🙂').intent);
    expect(INTENTS).toContain(triage('constructor __proto__ toString').intent);
  });
});
