import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { contactIdentities, contacts } from '../../db/schema/index.js';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
/** E.164-ish: keep a leading + and the digits. */
export const normalisePhone = (phone: string) => {
  const digits = phone.replace(/[^\d+]/g, '');
  return digits.startsWith('+') ? `+${digits.slice(1).replace(/\+/g, '')}` : `+${digits.replace(/\+/g, '')}`;
};

async function contactByIdentity(tx: Tx, tenantId: string, channel: string, externalId: string) {
  const [row] = await tx
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.channel, channel), eq(contactIdentities.externalId, externalId)));
  return row?.contactId;
}

async function addIdentity(tx: Tx, tenantId: string, contactId: string, channel: string, externalId: string) {
  await tx.insert(contactIdentities).values({ tenantId, contactId, channel, externalId }).onConflictDoNothing();
}

export interface VisitorDetails {
  visitorId: string;
  name?: string;
  email?: string;
  phone?: string;
}

/**
 * Resolves a widget visitor to one contact. An email or phone that another contact already has
 * wins: the visitor becomes that person, so the same customer is one contact across channels.
 */
export async function resolveVisitorContact(tx: Tx, tenantId: string, v: VisitorDetails): Promise<string> {
  const email = v.email ? normaliseEmail(v.email) : undefined;
  const phone = v.phone ? normalisePhone(v.phone) : undefined;
  const known =
    (email && (await contactByIdentity(tx, tenantId, 'email', email))) ||
    (phone && (await contactByIdentity(tx, tenantId, 'phone', phone))) ||
    undefined;
  const visitorContact = await contactByIdentity(tx, tenantId, 'widget', v.visitorId);

  let contactId = known ?? visitorContact;
  if (!contactId) {
    const [created] = await tx.insert(contacts).values({ tenantId, name: v.name ?? null, email: email ?? null, phone: phone ?? null }).returning({ id: contacts.id });
    contactId = created.id;
  } else if (v.name || email || phone) {
    const [current] = await tx.select().from(contacts).where(eq(contacts.id, contactId));
    await tx
      .update(contacts)
      .set({ name: current.name ?? v.name ?? null, email: current.email ?? email ?? null, phone: current.phone ?? phone ?? null })
      .where(eq(contacts.id, contactId));
  }
  if (visitorContact && visitorContact !== contactId) {
    // The visitor identified as a known contact: move the widget identity over to them.
    await tx
      .update(contactIdentities)
      .set({ contactId })
      .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.channel, 'widget'), eq(contactIdentities.externalId, v.visitorId)));
  } else {
    await addIdentity(tx, tenantId, contactId, 'widget', v.visitorId);
  }
  if (email) await addIdentity(tx, tenantId, contactId, 'email', email);
  if (phone) await addIdentity(tx, tenantId, contactId, 'phone', phone);
  return contactId;
}
