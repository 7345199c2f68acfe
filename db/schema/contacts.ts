import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    /**
     * The keys contacts are matched on (db/contact-keys.ts). Stored columns rather than expression
     * indexes: under row-level security PostgreSQL uses an index only for leakproof conditions, and
     * `lower(email) = …` is not one, so every match scanned the tenant's contacts.
     */
    emailKey: text('email_key').generatedAlwaysAs(sql`lower(email)`),
    phoneKey: text('phone_key').generatedAlwaysAs(sql`regexp_replace(phone, '\\D', '', 'g')`),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    tags: text('tags').array().notNull().default([]),
    /** Channels the contact has opted out of marketing on (STOP); see consent_events for the history. */
    marketingOptOuts: text('marketing_opt_outs').array().notNull().default([]),
    /** Set when this contact was merged into another; kept so old references still resolve. */
    mergedInto: uuid('merged_into'),
    /** The company this person belongs to. */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    ownerId: uuid('owner_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contacts_tenant_idx').on(t.tenantId),
    // Deduplication on import and lookups by address: normalised email and phone digits.
    // Pattern ops: equality for deduplication, and prefixes (`ann@ex…`) for search.
    index('contacts_email_key_idx').on(t.tenantId, t.emailKey.op('text_pattern_ops')),
    index('contacts_phone_key_idx').on(t.tenantId, t.phoneKey),
    // A number's ending, however its start was written (+31 6…, 06…): search by the reversed digits' prefix.
    index('contacts_phone_key_suffix_idx').on(t.tenantId, sql`reverse(${t.phoneKey}) text_pattern_ops`),
  ],
);

/** A company: contacts belong to one, and a contact can be converted into one (a customer account). */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    domain: text('domain'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('accounts_tenant_name_key').on(t.tenantId, t.name)],
);

export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date', 'select'] as const;
export const attributeType = pgEnum('attribute_type', ATTRIBUTE_TYPES);

/** The workspace's own contact fields, with their types: values written under these keys are checked. */
export const contactAttributeDefinitions = pgTable(
  'contact_attribute_definitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: attributeType('type').notNull(),
    options: text('options').array(),
  },
  (t) => [uniqueIndex('contact_attribute_definitions_key').on(t.tenantId, t.key)],
);

/** How a contact is known on one channel. `externalId` is normalised (lower-case email, E.164 phone). */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    /** An email address that bounced or complained is not mailed again until a user clears it. */
    status: text('status').$type<'ok' | 'bounced' | 'complained'>().notNull().default('ok'),
    statusDetail: text('status_detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contact_identities_key').on(t.tenantId, t.channel, t.externalId),
    index('contact_identities_contact_idx').on(t.contactId),
  ],
);

/**
 * A CSV import: the file as uploaded, its column mapping, and how far the import workflow got.
 * Each chunk's rows and the new offset commit together, so a restart resumes where it stopped.
 */
export const contactImports = pgTable('contact_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  status: text('status').$type<'uploaded' | 'running' | 'done' | 'failed'>().notNull().default('uploaded'),
  /** CSV column → contact field (`name`, `email`, `phone`, `tags`, `attributes.<key>`); unmapped columns are skipped. */
  mapping: jsonb('mapping').$type<Record<string, string>>(),
  columns: text('columns').array().notNull(),
  content: text('content').notNull(),
  /** Characters of `content` consumed so far (the header included). */
  offset: integer('offset').notNull().default(0),
  rowsDone: integer('rows_done').notNull().default(0),
  created: integer('created').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  /** Estimated from the file's line count, for the progress bar. */
  rowsTotal: integer('rows_total').notNull().default(0),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** A row an import could not take, and why: the downloadable error report. */
export const contactImportErrors = pgTable(
  'contact_import_errors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    importId: uuid('import_id').notNull().references(() => contactImports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('contact_import_errors_import_idx').on(t.importId, t.rowNumber)],
);

/** A teammate's note on a contact, for the CRM: never shown to the customer, listed in the contact's timeline. */
export const contactNotes = pgTable(
  'contact_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contact_notes_contact_idx').on(t.contactId, t.createdAt)],
);

/** A saved contact list view: a name for a set of list filters, shared with the workspace. */
export const contactListViews = pgTable(
  'contact_list_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The list's query: q, tag, ownerId, accountId, attribute (`key:value`). */
    filters: jsonb('filters').$type<Record<string, string>>().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('contact_list_views_name_key').on(t.tenantId, t.name)],
);
