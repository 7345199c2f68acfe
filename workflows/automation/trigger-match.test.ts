import { describe, expect, it } from 'vitest';
import { containsKeyword, triggerMatches } from './trigger-match.js';

const message = (text: string, channel = 'whatsapp', intent: string | null = null) =>
  ({ type: 'trigger.message_received', message: { channel, text, intent } }) as const;

describe('triggerMatches', () => {
  it('filters messages by channel, keyword and intent, each optional', () => {
    expect(triggerMatches({}, message('anything'))).toBe(true);
    expect(triggerMatches({ channels: ['whatsapp'] }, message('hi', 'sms'))).toBe(false);
    expect(triggerMatches({ channels: ['whatsapp'], keywords: ['price'] }, message('What is the PRICE?'))).toBe(true);
    expect(triggerMatches({ keywords: ['price'] }, message('priceless'))).toBe(false);
    expect(triggerMatches({ keywords: ['price', 'cost'] }, message('how much does it cost'))).toBe(true);
    expect(triggerMatches({ intents: ['order_status'] }, message('where is it', 'sms', 'order_status'))).toBe(true);
    expect(triggerMatches({ intents: ['order_status'] }, message('where is it', 'sms', null))).toBe(false);
  });

  it('matches keywords across accents and multi-word phrases', () => {
    expect(containsKeyword('Quel est le prix du café ?', 'cafe')).toBe(true);
    expect(containsKeyword('I want a refund now', 'refund now')).toBe(true);
    expect(containsKeyword('I want a refund', '   ')).toBe(false);
  });

  it('filters attribute changes and lead stages', () => {
    expect(triggerMatches({ attribute: 'plan' }, { type: 'trigger.contact_attribute_changed', changed: ['plan', 'city'] })).toBe(true);
    expect(triggerMatches({ attribute: 'plan' }, { type: 'trigger.contact_attribute_changed', changed: ['city'] })).toBe(false);
    expect(triggerMatches({ stageId: 's2' }, { type: 'trigger.lead_stage_changed', pipelineId: 'p', toStageId: 's2' })).toBe(true);
    expect(triggerMatches({ pipelineId: 'p1' }, { type: 'trigger.lead_stage_changed', pipelineId: 'p2', toStageId: 's2' })).toBe(false);
    expect(triggerMatches({}, { type: 'trigger.ticket_created' })).toBe(true);
  });
});
