import { describe, expect, it } from 'vitest';
import { classifyLocally, extractLocally, findDate } from './local-understanding.js';

describe('classifyLocally', () => {
  const labels = ['interested', 'not_interested'];
  it('reads buying signals and refusals, negation included', () => {
    expect(classifyLocally('What is the price of the blue jacket?', labels).label).toBe('interested');
    expect(classifyLocally('I do not want this, stop', labels).label).toBe('not_interested');
    expect(classifyLocally("I'm not interested, thanks", labels).label).toBe('not_interested');
    expect(classifyLocally('How much for two? I want to buy', labels)).toMatchObject({ label: 'interested', confidence: 1 });
  });

  it('matches labels outside the cue list by their own words, and falls back without a signal', () => {
    expect(classifyLocally('My parcel is about shipping to Ghent', ['shipping', 'returns']).label).toBe('shipping');
    expect(classifyLocally('I want to return these shoes', ['shipping', 'returns']).label).toBe('returns');
    expect(classifyLocally('hmm', ['billing', 'other'])).toEqual({ label: 'other', confidence: 0 });
    expect(classifyLocally('hmm', ['billing', 'support'])).toEqual({ label: 'billing', confidence: 0 });
    expect(classifyLocally('I was charged twice on my invoice', ['billing', 'support', 'sales']).label).toBe('billing');
  });
});

describe('extractLocally', () => {
  it('finds typed fields by their names and by pattern', () => {
    const text = 'Hi, my name is Ana Lopes, email ANA@example.com, phone +34 612 345 678. Budget: 2,500 euros. Start date is 12 March 2027. Newsletter: yes';
    expect(
      extractLocally(text, [
        { name: 'name', type: 'string' },
        { name: 'email', type: 'string' },
        { name: 'phone', type: 'string' },
        { name: 'budget', type: 'number' },
        { name: 'startDate', type: 'date', description: 'when they want to start' },
        { name: 'newsletter', type: 'boolean' },
        { name: 'company', type: 'string' },
      ]),
    ).toEqual({ name: 'Ana Lopes', email: 'ana@example.com', phone: '+34 612 345 678', budget: 2500, startDate: '2027-03-12', newsletter: true, company: null });
  });

  it('reads dates in common forms, day first', () => {
    expect(findDate('on 2026-12-24')).toBe('2026-12-24');
    expect(findDate('by 03/04/2026')).toBe('2026-04-03');
    expect(findDate('from March 5th, 2026')).toBe('2026-03-05');
    expect(findDate('someday')).toBeNull();
  });
});
