import { describe, expect, it } from 'vitest';
import { coerce, firstJsonObject, matchLabel, typedFields } from './ai-nodes.js';
import { classifyLocally, extractLocally, findDate } from './local-understanding.js';

describe('classify offline', () => {
  const labels = ['interested', 'not_interested'];

  it('reads a buying question as interest and a refusal as none', () => {
    expect(classifyLocally('What is the price of the blue jacket?', labels).label).toBe('interested');
    expect(classifyLocally('I do not want this, stop', labels).label).toBe('not_interested');
    expect(classifyLocally("Don't want it anymore, remove me", labels).label).toBe('not_interested');
  });

  it('answers the same every time, with a confidence between 0 and 1', () => {
    const a = classifyLocally('How much is it? Also my invoice is wrong', ['sales', 'billing', 'spam']);
    expect(classifyLocally('How much is it? Also my invoice is wrong', ['sales', 'billing', 'spam'])).toEqual(a);
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.confidence).toBeLessThan(1);
  });

  it('keeps the label as the admin wrote it, whatever its case or spacing', () => {
    expect(classifyLocally('No thanks, not interested', ['Interested', 'Not Interested'])).toMatchObject({ label: 'Not Interested' });
    expect(classifyLocally('URGENT: the site is down, please help asap', ['urgent', 'question'])).toMatchObject({ label: 'urgent' });
  });

  it('has no vote for a label without a signal, and says so with confidence 0', () => {
    expect(classifyLocally('', ['support', 'other'])).toEqual({ label: 'other', confidence: 0 });
    expect(classifyLocally('🙂', ['complaint', 'spam'])).toEqual({ label: 'complaint', confidence: 0 });
  });
});

describe('extract offline', () => {
  it('reads "my <field> is <value>" and "<field>: <value>" by the field name and its description', () => {
    const fields = [
      { name: 'company', type: 'string' as const },
      { name: 'team_size', type: 'number' as const },
      { name: 'trial', type: 'boolean' as const, description: 'whether they want a trial' },
    ];
    expect(extractLocally('Hello, my company is Northwind Traders; team size: 45. Trial = no', fields)).toEqual({ company: 'Northwind Traders', team_size: 45, trial: false });
  });

  it('reads dates in ISO and common forms as ISO, and refuses what is no date', () => {
    expect(findDate('deliver on 2026-7-4 please')).toBe('2026-07-04');
    expect(findDate('on the 5th of June 2026')).toBe('2026-06-05');
    expect(findDate('Dec 24, 2026')).toBe('2026-12-24');
    expect(findDate('2026-02-30')).toBeNull();
    expect(findDate('31/04/2026')).toBeNull();
  });

  it('leaves a field it cannot find null rather than guessing', () => {
    expect(extractLocally('just browsing', [{ name: 'email', type: 'string' }, { name: 'budget', type: 'number' }, { name: 'moveIn', type: 'date' }])).toEqual({ email: null, budget: null, moveIn: null });
  });
});

describe("the model's answers, kept within the step's contract", () => {
  it('maps an answer to one of the labels: exact, inside prose, or the closest', () => {
    const labels = ['interested', 'not_interested'];
    expect(matchLabel('interested', labels)).toEqual({ label: 'interested', exact: true });
    expect(matchLabel('"Not Interested."', labels)).toEqual({ label: 'not_interested', exact: true });
    expect(matchLabel('The label is: not_interested', labels)).toEqual({ label: 'not_interested', exact: false });
    expect(matchLabel('shiping', ['billing', 'shipping']).label).toBe('shipping');
    expect(matchLabel('', ['billing', 'shipping']).label).toBe('billing');
    expect(matchLabel(null, ['billing', 'shipping']).label).toBe('billing');
  });

  it('finds the JSON object in an answer wrapped in prose or a code fence', () => {
    expect(firstJsonObject('Sure! ```json\n{"a": 1, "b": {"c": null}}\n```')).toEqual({ a: 1, b: { c: null } });
    expect(firstJsonObject('[1, 2]')).toBeNull();
    expect(firstJsonObject('{not json}')).toBeNull();
    expect(firstJsonObject(null)).toBeNull();
  });

  it('coerces values to their field types, and lists what is not one as missing', () => {
    const fields = [
      { name: 'budget', type: 'number' as const },
      { name: 'guests', type: 'number' as const },
      { name: 'vip', type: 'boolean' as const },
      { name: 'newsletter', type: 'boolean' as const },
      { name: 'start', type: 'date' as const },
      { name: 'end', type: 'date' as const },
      { name: 'city', type: 'string' as const },
      { name: 'notes', type: 'string' as const },
    ];
    const raw = { budget: '2,500 EUR', guests: 'a few', vip: 'Yes', newsletter: 0, start: '03/04/2026', end: 'next week', city: ' Ghent ', notes: '   ', extra: 'ignored' };
    expect(typedFields(raw, fields)).toEqual({
      fields: { budget: 2500, guests: null, vip: true, newsletter: false, start: '2026-04-03', end: null, city: 'Ghent', notes: null },
      missing: ['guests', 'end', 'notes'],
    });
    expect(coerce('between 3 and 5', 'number')).toBe(3);
    expect(coerce(Number.NaN, 'number')).toBeNull();
    expect(coerce({ a: 1 }, 'number')).toBeNull();
    expect(coerce(['x'], 'string')).toBe('["x"]');
    expect(coerce('2027-01-15T10:00:00Z', 'date')).toBe('2027-01-15');
  });
});
