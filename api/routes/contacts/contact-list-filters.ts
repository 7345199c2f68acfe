import { z } from '@hono/zod-openapi';
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { emailKey, phoneDigits, phoneKey } from '../../../db/contact-keys.js';
import { contacts } from '../../../db/schema/index.js';
import { Text } from '../../schemas.js';
import { containsPattern, escapeLike } from '../../services/like-patterns.js';

/** The contact list's filters: the list's query, a saved view's filters, an export's. */
export const ContactFilters = z.object({
  q: Text(1, 200).optional(),
  tag: Text(1, 60).optional(),
  ownerId: z.string().uuid().optional(),
  accountId: z.string().uuid().optional(),
  attribute: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}:.{1,200}$/, 'key:value').optional(),
});

export type ContactFilters = z.infer<typeof ContactFilters>;

/**
 * The list's conditions and order for a set of filters, the best `need` search matches first; null
 * when a search matches nothing. The list, the export and saved views all filter this way.
 */
export async function contactListWhere(db: Database, tenantId: string, f: ContactFilters, need: number): Promise<{ filters: SQL[]; order: SQL[] } | null> {
  const filters: SQL[] = [isNull(contacts.mergedInto)];
  if (f.tag) filters.push(sql`${f.tag} = any(${contacts.tags})`);
  if (f.ownerId) filters.push(eq(contacts.ownerId, f.ownerId));
  if (f.accountId) filters.push(eq(contacts.accountId, f.accountId));
  if (f.attribute) {
    const at = f.attribute.indexOf(':');
    filters.push(sql`${contacts.attributes} ->> ${f.attribute.slice(0, at)} = ${f.attribute.slice(at + 1)}`);
  }
  if (!f.q) return { filters, order: [sql`${contacts.createdAt} desc`] };
  const filtered = filters.length > 1;
  const ids = await searchCandidates(db, tenantId, f.q.trim(), filtered ? Math.max(FILTERED_CANDIDATES, need) : need);
  if (!ids.length) return null;
  filters.push(inArray(contacts.id, ids));
  // Candidates come best first; keep that order.
  return { filters, order: [sql`array_position(${sql`array[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]`}, ${contacts.id})`] };
}

/** Candidates to fetch when other filters may still drop some; without them, the page size is enough. */
const FILTERED_CANDIDATES = 200;

/**
 * The contacts a search term matches, best first: on the platform connection with the tenant
 * filtered explicitly (decision 011), because under row-level security PostgreSQL cannot use the
 * trigram indexes for ILIKE or similarity and would scan every contact. They only narrow the list
 * query, which still runs under RLS.
 */
async function searchCandidates(db: Database, tenantId: string, text: string, need: number): Promise<string[]> {
  const digits = phoneDigits(text);
  const mine = and(eq(contacts.tenantId, tenantId), isNull(contacts.mergedInto));
  const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
  if (text.includes('@')) {
    // An address's start, on the email key's pattern index: a range scan, however common its letters.
    return ids(await db.select({ id: contacts.id }).from(contacts).where(and(mine, sql`${emailKey} like ${`${escapeLike(text.toLowerCase())}%`}`)).limit(need));
  }
  if (digits.length >= 4 && /^[+\d\s().-]+$/.test(text)) {
    // Most often the number's end, typed without the country code or with a trunk 0 ("06 1234 5678"
    // for +31 6 1234 5678): a prefix of the reversed digits. Otherwise any run of digits (trigrams).
    const ending = digits.replace(/^0+/, '');
    const byEnding = ending.length >= 4 ? await db.select({ id: contacts.id }).from(contacts).where(and(mine, sql`reverse(${phoneKey}) like ${`${[...ending].reverse().join('')}%`}`)).limit(need) : [];
    if (byEnding.length) return ids(byEnding);
    return ids(await db.select({ id: contacts.id }).from(contacts).where(and(mine, sql`${phoneKey} like ${`%${digits}%`}`)).limit(need));
  }
  // Names that contain the term first, closest first. Under three characters there are no
  // trigrams to rank by: take them in any order, and stop at the page.
  const contains = sql`${contacts.name} ilike ${containsPattern(text)}`;
  const exact = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(mine, contains))
    .orderBy(...(text.length >= 3 ? [sql`similarity(${contacts.name}, ${text}) desc`] : []))
    .limit(need);
  if (exact.length >= need || text.length < 3) return ids(exact);
  // Then by trigram similarity, so a typo ("Jonh") still finds "John". Only when the exact matches
  // do not fill the page: a common name is similar to thousands of others, each to be ranked.
  const similar = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(mine, sql`${contacts.name} % ${text}`, sql`not (${contains})`))
    .orderBy(sql`similarity(${contacts.name}, ${text}) desc`)
    .limit(need - exact.length);
  return [...ids(exact), ...ids(similar)];
}
