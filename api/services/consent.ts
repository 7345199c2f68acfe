import { sql } from 'drizzle-orm';
import { withTenant, type Database } from '../../db/client.js';
import { consentEvents, contacts } from '../../db/schema/index.js';
import type { ConsentAction } from '../../activities/channels/consent-keywords.js';

/**
 * Records an opt-out or opt-in of marketing on one channel, and applies it to the contact. Once per
 * message: a provider's re-delivery (after a crash between storing the message and this) repairs a
 * missing record and never doubles one.
 */
export async function recordConsent(
  db: Database,
  tenantId: string,
  change: { contactId: string; channel: string; action: ConsentAction; source: string; messageId?: string | null },
): Promise<void> {
  await withTenant(db, tenantId, async (tx) => {
    const recorded = await tx
      .insert(consentEvents)
      .values({ tenantId, contactId: change.contactId, channel: change.channel, action: change.action, source: change.source, messageId: change.messageId ?? null })
      .onConflictDoNothing({ target: consentEvents.messageId, where: sql`${consentEvents.messageId} is not null` })
      .returning({ id: consentEvents.id });
    if (recorded.length === 0) return;
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
  });
}
