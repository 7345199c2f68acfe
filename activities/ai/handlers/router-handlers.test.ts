import { describe, expect, it } from 'vitest';
import { classifyCampaignResponse } from './campaign-reply.js';
import { describeOrder, findOrderNumber } from './order-lookup.js';
import { extractProduct, productKey } from './stock-alert.js';

describe('router handlers', () => {
  it('finds order numbers as customers write them', () => {
    expect(findOrderNumber('Where is my order #NW-10234?')).toBe('NW-10234');
    expect(findOrderNumber('order number 55123 has not arrived')).toBe('55123');
    expect(findOrderNumber('Waar is mijn bestelling 88231')).toBe('88231');
    expect(findOrderNumber('I ordered 2 jackets')).toBeUndefined();
  });

  it("describes an order from the shop's fields only", () => {
    const text = describeOrder('55123', { order: { status: 'shipped', carrier: 'PostNL', internalMargin: 0.4 } });
    expect(text).toContain('Status: shipped');
    expect(text).toContain('Carrier: PostNL');
    expect(text).not.toContain('0.4');
  });

  it('extracts the product of a stock question, with its size, and keys it order-free', () => {
    expect(extractProduct('Is the blue dress in size M back in stock?')).toBe('blue dress size m');
    expect(extractProduct('When will you have it again?')).toBeUndefined();
    expect(productKey('Blue dresses size M')).toBe(productKey('size m blue dress'));
  });

  it('classifies campaign answers', () => {
    expect(classifyCampaignResponse('Yes please, tell me more!')).toBe('interested');
    expect(classifyCampaignResponse("No thanks, not for me")).toBe('not_interested');
    expect(classifyCampaignResponse('STOP')).toBe('opt_out');
    expect(classifyCampaignResponse('Does it come in green?')).toBe('question');
  });
});
