import { sql } from 'drizzle-orm';
import { contacts } from './schema/index.js';

/**
 * The normalised keys contacts are matched on (deduplication, imports, merges, search). They are
 * the very expressions of the indexes `contacts_email_norm_idx` and `contacts_phone_norm_idx`:
 * written any other way, PostgreSQL would not use those indexes.
 */
export const emailKey = sql<string>`lower(${contacts.email})`;
export const phoneKey = sql<string>`regexp_replace(${contacts.phone}, '\\D', '', 'g')`;

/** A phone number's digits, as `phoneKey` computes them in SQL. */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '');
