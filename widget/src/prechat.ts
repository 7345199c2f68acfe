import type { FieldError } from './widget-api.js';

export interface PrechatDetails {
  name: string;
  email: string;
}

// Close to what the API accepts (zod's email check), so the visitor hears about typos before a round trip.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Checks the pre-chat form the way the API will; an empty list means it may be sent. */
export function validatePrechat(details: PrechatDetails): FieldError[] {
  const errors: FieldError[] = [];
  const name = details.name.trim();
  const email = details.email.trim();
  if (!name) errors.push({ field: 'name', message: 'Please tell us your name.' });
  else if (name.length > 120) errors.push({ field: 'name', message: 'Please use at most 120 characters.' });
  if (!email) errors.push({ field: 'email', message: 'Please enter your email address.' });
  else if (email.length > 254 || !EMAIL.test(email)) errors.push({ field: 'email', message: 'Please enter a valid email address.' });
  return errors;
}
