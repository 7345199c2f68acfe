import { and, eq, ilike, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { contacts, conversations, messages } from '../../../db/schema/index.js';
import { containsPattern } from '../../services/like-patterns.js';

/**
 * How a search narrows the inbox list:
 * - `ids`: the conversations and contacts that match, found through the pg_trgm indexes;
 * - `scan`: too short a term for trigrams, or too common for an id list: each listed row is
 *   checked in inbox order, which stops as soon as a page is full because matches are dense.
 */
export type SearchMatch = { kind: 'ids'; conversationIds: string[]; contactIds: string[] } | { kind: 'scan'; pattern: string };

/** More matching rows than this and walking the inbox in order is the cheaper plan. */
const MAX_ROWS = 2000;


/**
 * Finds the candidates on the platform connection, filtered by tenant explicitly. Under the tenant
 * role PostgreSQL cannot use a trigram index for ILIKE (the operator is not leakproof, so it must
 * run after the RLS check), which turns every search into a sequential scan. The ids found here
 * only narrow the list query, which still runs under RLS: a wrong id cannot show another tenant's row.
 */
export async function findSearchCandidates(db: Database, tenantId: string, term: string): Promise<SearchMatch> {
  const pattern = containsPattern(term);
  // pg_trgm extracts no trigram from fewer than three characters: the index would read everything.
  if ([...term].length < 3) return { kind: 'scan', pattern };
  const [byMessage, byContact] = await Promise.all([
    db
      // Not DISTINCT: that would read every match before the limit applies.
      .select({ id: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), ilike(messages.content, pattern), ne(messages.deliveryStatus, 'discarded')))
      .limit(MAX_ROWS + 1),
    db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), or(ilike(contacts.name, pattern), ilike(contacts.email, pattern), ilike(contacts.phone, pattern))))
      .limit(MAX_ROWS + 1),
  ]);
  if (byMessage.length > MAX_ROWS || byContact.length > MAX_ROWS) return { kind: 'scan', pattern };
  return { kind: 'ids', conversationIds: [...new Set(byMessage.map((r) => r.id))], contactIds: byContact.map((r) => r.id) };
}

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The list query's condition for a search. */
export function searchCondition(s: SearchMatch): SQL {
  if (s.kind === 'ids') {
    return sql`(${conversations.id} = any(${uuidArray(s.conversationIds)}) or ${conversations.contactId} = any(${uuidArray(s.contactIds)}))`;
  }
  // Both as per-row EXISTS with `offset 0`, so the planner neither hashes every message nor sorts
  // a hash join: it walks the inbox index and stops once the page is full (checked with EXPLAIN).
  const p = s.pattern;
  return sql`(exists (select 1 from ${contacts} x where x.id = ${conversations.contactId} and (x.name ilike ${p} or x.email ilike ${p} or x.phone ilike ${p}) offset 0)
    or exists (select 1 from ${messages} m where m.conversation_id = ${conversations.id} and m.content ilike ${p} and m.delivery_status <> 'discarded' offset 0))`;
}
