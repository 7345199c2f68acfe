import { and, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { emailKey, phoneDigits, phoneKey } from '../../db/contact-keys.js';
import { contactImportErrors, contacts } from '../../db/schema/index.js';

/** Where a CSV column goes: a contact field, or `attributes.<key>`. */
export const IMPORT_FIELDS = ['name', 'email', 'phone', 'tags'] as const;
export const isImportTarget = (f: string) => (IMPORT_FIELDS as readonly string[]).includes(f) || /^attributes\.[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(f);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface ContactRow {
  rowNumber: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  digits: string | null;
  tags: string[];
  attributes: { [key: string]: string };
}

export interface ChunkPlan {
  inserts: ContactRow[];
  updates: Array<ContactRow & { id: string }>;
  errors: Array<{ rowNumber: number; message: string }>;
}

/** A CSV row as a contact, or why it cannot be one. */
function toRecord(row: string[], columns: string[], mapping: { [column: string]: string }, rowNumber: number): ContactRow | string {
  const r: ContactRow = { rowNumber, name: null, email: null, phone: null, digits: null, tags: [], attributes: {} };
  for (const [column, target] of Object.entries(mapping)) {
    const value = (row[columns.indexOf(column)] ?? '').trim();
    if (!value) continue;
    if (target === 'name') r.name = value.slice(0, 200);
    else if (target === 'email') {
      if (!EMAIL.test(value)) return `"${value.slice(0, 80)}" in column ${column} is not an email address`;
      r.email = value.toLowerCase();
    } else if (target === 'phone') {
      const digits = phoneDigits(value);
      if (digits.length < 6 || digits.length > 15) return `"${value.slice(0, 80)}" in column ${column} is not a phone number`;
      r.phone = value;
      r.digits = digits;
    } else if (target === 'tags') r.tags = [...new Set(value.split(/[;|]/).map((t) => t.trim()).filter(Boolean))];
    else r.attributes[target.slice('attributes.'.length)] = value;
  }
  if (!r.name && !r.email && !r.phone) return 'the row has no name, email or phone';
  return r;
}

/**
 * Decides what a chunk of rows does: which contacts it creates, which existing ones (matched by
 * normalised email, then phone digits) it updates, and which rows are errors. Rows of the chunk
 * that match each other merge into the first.
 */
export async function planChunk(tx: Tx, rows: string[][], columns: string[], mapping: { [column: string]: string }, firstRowNumber: number): Promise<ChunkPlan> {
  const plan: ChunkPlan = { inserts: [], updates: [], errors: [] };
  const records: ContactRow[] = [];
  rows.forEach((row, i) => {
    const r = toRecord(row, columns, mapping, firstRowNumber + i);
    if (typeof r === 'string') plan.errors.push({ rowNumber: firstRowNumber + i, message: r });
    else records.push(r);
  });
  const emails = [...new Set(records.flatMap((r) => (r.email ? [r.email] : [])))];
  const digits = [...new Set(records.flatMap((r) => (r.digits ? [r.digits] : [])))];
  // One lookup per key, each on its own index (an OR of the two would scan the table).
  const list = (values: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
  const emailMatches = emails.length
    ? await tx.select({ id: contacts.id, email: emailKey }).from(contacts).where(and(isNull(contacts.mergedInto), sql`${emailKey} = any(${list(emails)})`))
    : [];
  const phoneMatches = digits.length
    ? await tx
        .select({ id: contacts.id, digits: phoneKey })
        .from(contacts)
        .where(and(isNull(contacts.mergedInto), sql`${phoneKey} = any(${list(digits)})`))
    : [];
  const byEmail = new Map(emailMatches.map((e) => [e.email, e.id]));
  const byDigits = new Map(phoneMatches.map((e) => [e.digits, e.id]));
  const inChunk = new Map<string, ContactRow>();
  for (const r of records) {
    const keys = [r.email && `e:${r.email}`, r.digits && `p:${r.digits}`].filter((k): k is string => !!k);
    const earlier = keys.map((k) => inChunk.get(k)).find(Boolean);
    if (earlier) {
      earlier.name ??= r.name;
      earlier.email ??= r.email;
      earlier.phone ??= r.phone;
      earlier.tags = [...new Set([...earlier.tags, ...r.tags])];
      Object.assign(earlier.attributes, r.attributes);
      continue;
    }
    for (const k of keys) inChunk.set(k, r);
    const id = (r.email && byEmail.get(r.email)) || (r.digits && byDigits.get(r.digits));
    if (id) plan.updates.push({ ...r, id });
    else plan.inserts.push(r);
  }
  return plan;
}

const json = (records: object[]) => JSON.stringify(records);

/** Writes a chunk's plan: one statement each for the new contacts, the updated ones and the errors. */
export async function applyChunk(tx: Tx, tenantId: string, importId: string, plan: ChunkPlan): Promise<void> {
  if (plan.inserts.length) {
    await tx.execute(sql`insert into ${contacts} (tenant_id, name, email, phone, tags, attributes)
      select ${tenantId}, r.name, r.email, r.phone, array(select jsonb_array_elements_text(r.tags)), r.attributes
      from jsonb_to_recordset(${json(plan.inserts)}::jsonb) as r(name text, email text, phone text, tags jsonb, attributes jsonb)`);
  }
  if (plan.updates.length) {
    await tx.execute(sql`update ${contacts} c set
        name = coalesce(c.name, r.name), email = coalesce(c.email, r.email), phone = coalesce(c.phone, r.phone),
        tags = array(select distinct t from unnest(c.tags || array(select jsonb_array_elements_text(r.tags))) t),
        attributes = c.attributes || r.attributes, updated_at = now()
      from jsonb_to_recordset(${json(plan.updates)}::jsonb) as r(id uuid, name text, email text, phone text, tags jsonb, attributes jsonb)
      where c.id = r.id`);
  }
  if (plan.errors.length) {
    await tx.execute(sql`insert into ${contactImportErrors} (tenant_id, import_id, row_number, message)
      select ${tenantId}, ${importId}, r."rowNumber", r.message from jsonb_to_recordset(${json(plan.errors)}::jsonb) as r("rowNumber" int, message text)`);
  }
}
