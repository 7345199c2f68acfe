import { describe, expect, it } from 'vitest';
import { extractCandidate, missingCandidateFields } from './job-application.js';

describe('job application extraction', () => {
  it('pulls name, phone, role and availability out of a chat message', () => {
    const f = extractCandidate("Hi, I'd like to apply for the store assistant job in Utrecht. I'm Sara, available weekends, 06 12345678");
    expect(f).toMatchObject({ name: 'Sara', role: 'store assistant', phone: '06 12345678' });
    expect(f.availability).toMatch(/weekends/);
    expect(missingCandidateFields(f)).toEqual([]);
  });

  it('reads email and Dutch phrasing, and lists what is missing', () => {
    const f = extractCandidate('Hallo, ik ben Daan de Vries en ik wil solliciteren. Mail me op daan.devries@example.nl');
    expect(f).toMatchObject({ name: 'Daan', email: 'daan.devries@example.nl' });
    expect(missingCandidateFields(f)).toEqual(['the role you want', 'your availability']);
  });

  it('does not mistake a question for a name', () => {
    const f = extractCandidate("I'm interested in the warehouse team lead position, how do I apply?");
    expect(f.name).toBeUndefined();
    expect(f.role).toBe('warehouse team lead');
  });
});
