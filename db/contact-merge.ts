import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { campaignRecipients, contactIdentities, contactMerges, contactNotes, contacts, conversations, leads, stockSubscriptions, tickets } from './schema/index.js';

type Contact = typeof contacts.$inferSelect;

/**
 * Moves everything of `dupes` onto `survivor`: identities, conversations (with their history),
 * tickets, leads, stock alerts and campaign rows; unions tags, opt-outs and attributes (the
 * survivor's win). The duplicates stay as rows pointing at the survivor (`merged_into`), so old
 * references still resolve, and the merge is recorded. Run inside the tenant's transaction.
 */
export async function mergeContactRecords(tx: Tx, survivor: Contact, dupes: Contact[], mergedBy: string | null): Promise<Record<string, number>> {
  const ids = dupes.map((d) => d.id);
  const tenantId = survivor.tenantId;
  const movedConversations = await tx.update(conversations).set({ contactId: survivor.id }).where(inArray(conversations.contactId, ids)).returning({ id: conversations.id });
  const movedTickets = await tx.update(tickets).set({ contactId: survivor.id }).where(inArray(tickets.contactId, ids)).returning({ id: tickets.id });
  const movedLeads = await tx.update(leads).set({ contactId: survivor.id }).where(inArray(leads.contactId, ids)).returning({ id: leads.id });
  // The same alert on several records (the contact's, or two duplicates'): keep one, or the move breaks the unique key.
  await tx.execute(
    sql`delete from stock_subscriptions r where r.contact_id in ${ids} and exists (select 1 from stock_subscriptions k where k.tenant_id = r.tenant_id and k.product_key = r.product_key and k.status = r.status and k.id <> r.id and (k.contact_id = ${survivor.id} or (k.contact_id in ${ids} and k.id < r.id)))`,
  );
  await tx.update(stockSubscriptions).set({ contactId: survivor.id }).where(inArray(stockSubscriptions.contactId, ids));
  await tx.update(contactNotes).set({ contactId: survivor.id }).where(inArray(contactNotes.contactId, ids));
  // A campaign reached several records: keep the surviving contact's row, else one duplicate's (an answered one first).
  await tx.execute(
    sql`delete from campaign_recipients r where r.contact_id in ${ids} and exists (select 1 from campaign_recipients k where k.campaign_id = r.campaign_id and k.id <> r.id and (k.contact_id = ${survivor.id} or (k.contact_id in ${ids} and (k.response is null, k.id) < (r.response is null, r.id))))`,
  );
  await tx.update(campaignRecipients).set({ contactId: survivor.id }).where(inArray(campaignRecipients.contactId, ids));
  const movedIdentities = await tx.update(contactIdentities).set({ contactId: survivor.id }).where(inArray(contactIdentities.contactId, ids)).returning({ id: contactIdentities.id });
  const all = [survivor, ...dupes];
  await tx
    .update(contacts)
    .set({
      tags: [...new Set(all.flatMap((d) => d.tags))],
      // Opting out anywhere stays opted out: a merge must not resubscribe anyone.
      marketingOptOuts: [...new Set(all.flatMap((d) => d.marketingOptOuts))],
      attributes: Object.assign({}, ...dupes.map((d) => d.attributes), survivor.attributes),
      name: survivor.name ?? dupes.find((d) => d.name)?.name ?? null,
      email: survivor.email ?? dupes.find((d) => d.email)?.email ?? null,
      phone: survivor.phone ?? dupes.find((d) => d.phone)?.phone ?? null,
      updatedAt: sql`now()`,
    })
    .where(eq(contacts.id, survivor.id));
  await tx.update(contacts).set({ mergedInto: survivor.id, updatedAt: sql`now()` }).where(inArray(contacts.id, ids));
  // Anything merged into a duplicate before now points at the survivor too.
  await tx.update(contacts).set({ mergedInto: survivor.id }).where(inArray(contacts.mergedInto, ids));
  const moved = { identities: movedIdentities.length, conversations: movedConversations.length, tickets: movedTickets.length, leads: movedLeads.length };
  await tx.insert(contactMerges).values({ tenantId, survivorId: survivor.id, mergedIds: ids, mergedBy, moved });
  return moved;
}
