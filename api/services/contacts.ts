import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { contactIdentities, contacts } from '../../db/schema/index.js';
import { normaliseEmail, normalisePhone } from './addresses.js';


async function contactByIdentity(tx: Tx, tenantId: string, channel: string, externalId: string) {
  const [row] = await tx
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.channel, channel), eq(contactIdentities.externalId, externalId)));
  return row?.contactId;
}

export interface VisitorDetails {
  visitorId: string;
  name?: string;
  email?: string;
  phone?: string;
}

/**
 * Resolves a widget visitor to their contact, by the visitor id the widget keeps. An email or phone
 * typed into the widget is unverified, so it is stored on the visitor's own contact and never used
 * to join another contact: otherwise anyone could read a customer's conversations by typing their
 * address. Merging on such details is an agent's decision (or a verified channel's), not the widget's.
 */
export async function resolveVisitorContact(tx: Tx, tenantId: string, v: VisitorDetails): Promise<string> {
  const email = (v.email && normaliseEmail(v.email)) || undefined;
  const phone = (v.phone && normalisePhone(v.phone)) || undefined;
  let contactId = await contactByIdentity(tx, tenantId, 'widget', v.visitorId);
  if (!contactId) {
    const [created] = await tx.insert(contacts).values({ tenantId, name: v.name ?? null, email: email ?? null, phone: phone ?? null }).returning({ id: contacts.id });
    contactId = created.id;
    await tx.insert(contactIdentities).values({ tenantId, contactId, channel: 'widget', externalId: v.visitorId }).onConflictDoNothing();
    // A concurrent first session for the same visitor may have won the identity: use its contact.
    contactId = (await contactByIdentity(tx, tenantId, 'widget', v.visitorId))!;
  } else if (v.name || email || phone) {
    const [current] = await tx.select().from(contacts).where(eq(contacts.id, contactId));
    await tx
      .update(contacts)
      .set({ name: v.name ?? current.name, email: email ?? current.email, phone: phone ?? current.phone, updatedAt: new Date() })
      .where(eq(contacts.id, contactId));
  }
  return contactId;
}
