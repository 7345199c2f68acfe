/**
 * The router's job-application handler: pulls the candidate's details out of the message, so the
 * application lands on the contact as structured fields, and says what is still missing.
 */
export interface CandidateFields {
  name?: string;
  email?: string;
  phone?: string;
  role?: string;
  availability?: string;
}

// The lead-in in either case, the name itself capitalised (so "I'm interested" is no name).
const NAME = /\b(?:[Mm]y name is|[Ii] am|[Ii]['’]m|[Tt]his is|[Ii]k ben|[Mm]ijn naam is)\s+([A-Z][a-zà-ÿ'-]+)/u;
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;
const PHONE = /(?:\+\d{1,3}[\s-]?)?\(?\d{2,4}\)?(?:[\s-]?\d{2,4}){2,4}/;
const ROLE = /\b(?:for|as|in)\s+(?:the|a|an)\s+((?:[a-z-]+\s){0,3}?(?:assistant|lead|manager|associate|medewerker))\b/i;
const AVAILABILITY = /\b((?:available|beschikbaar)\s+[^.,;!?]{3,40}|(?:weekends?|evenings?|mornings?|full[- ]time|part[- ]time|\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s*hours))/i;
const NOT_NAMES = /^(available|interested|looking|applying|writing|hoping|keen|free|able|based|from|a|an|the)$/i;

export function extractCandidate(text: string): CandidateFields {
  const fields: CandidateFields = {};
  const name = NAME.exec(text)?.[1];
  if (name && !NOT_NAMES.test(name)) fields.name = name;
  const email = EMAIL.exec(text)?.[0];
  if (email) fields.email = email.toLowerCase();
  const phone = PHONE.exec(text.replace(EMAIL, ' '))?.[0];
  if (phone && phone.replace(/\D/g, '').length >= 8) fields.phone = phone.trim();
  const role = ROLE.exec(text)?.[1];
  if (role) fields.role = role.toLowerCase().trim();
  const availability = AVAILABILITY.exec(text)?.[1];
  if (availability) fields.availability = availability.trim();
  return fields;
}

const LABELS = { name: 'your name', phone: 'your phone number or email', role: 'the role you want', availability: 'your availability' } as const;

/** What the candidate still has to send; an email or a phone number is enough to reach them. */
export function missingCandidateFields(f: CandidateFields): string[] {
  const missing: Array<keyof typeof LABELS> = [];
  if (!f.name) missing.push('name');
  if (!f.phone && !f.email) missing.push('phone');
  if (!f.role) missing.push('role');
  if (!f.availability) missing.push('availability');
  return missing.map((k) => LABELS[k]);
}
