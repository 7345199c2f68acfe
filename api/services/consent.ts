import { sql } from 'drizzle-orm';
import { withTenant, type Database } from '../../db/client.js';
import { consentEvents, contacts } from '../../db/schema/index.js';

// The carriers' and Twilio's standard keywords, matched as the whole message.
const OPT_OUT = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'opt out', 'revoke', 'opt-out']);
const OPT_IN = new Set(['start', 'unstop', 'yes', 'subscribe', 'optin', 'opt in', 'opt-in']);

export type ConsentAction = 'opt_out' | 'opt_in';

/** The opt-out or opt-in a message asks for, or null: only a message that is just the keyword counts. */
export function consentKeyword(text: string): { action: ConsentAction; keyword: string } | null {
  const word = text.trim().toLowerCase().replace(/[.!?\s]+$/g, '').replace(/^[.!?\s]+/g, '');
  if (OPT_OUT.has(word)) return { action: 'opt_out', keyword: word.toUpperCase() };
  if (OPT_IN.has(word)) return { action: 'opt_in', keyword: word.toUpperCase() };
  return null;
}

/** Records an opt-out or opt-in of marketing on one channel, and applies it to the contact. */
export async function recordConsent(
  db: Database,
  tenantId: string,
  change: { contactId: string; channel: string; action: ConsentAction; source: string; messageId?: string | null },
): Promise<void> {
  await withTenant(db, tenantId, async (tx) => {
    await tx
      .update(contacts)
      .set({
        marketingOptOuts:
          change.action === 'opt_out'
            ? sql`array(select distinct unnest(${contacts.marketingOptOuts} || array[${change.channel}]::text[]))`
            : sql`array_remove(${contacts.marketingOptOuts}, ${change.channel})`,
        updatedAt: sql`now()`,
      })
      .where(sql`${contacts.id} = ${change.contactId}`);
    await tx.insert(consentEvents).values({ tenantId, contactId: change.contactId, channel: change.channel, action: change.action, source: change.source, messageId: change.messageId ?? null });
  });
}
