import { contacts } from './schema/index.js';

/**
 * The normalised keys contacts are matched on (deduplication, imports, merges, search): stored
 * columns that PostgreSQL computes from the email and phone (`lower(email)`, the phone's digits),
 * indexed per tenant.
 */
export const emailKey = contacts.emailKey;
export const phoneKey = contacts.phoneKey;

/** A phone number's digits, as `phoneKey` holds them. */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '');
