import { index, integer, pgEnum, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.js';

export const documentFormat = pgEnum('document_format', ['markdown', 'text', 'html']);

/** A knowledge-base document as the tenant gave it; its chunks are derived and rebuilt on change. */
export const kbDocuments = pgTable(
  'kb_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    format: documentFormat('format').notNull(),
    body: text('body').notNull(),
    chunkCount: integer('chunk_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kb_documents_tenant_idx').on(t.tenantId)],
);

export const kbChunks = pgTable(
  'kb_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => kbDocuments.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    heading: text('heading').notNull(),
    content: text('content').notNull(),
    /** The local embedding (activities/knowledge/embed.ts); a pgvector column joins it where available. */
    embedding: real('embedding').array().notNull(),
  },
  (t) => [index('kb_chunks_tenant_idx').on(t.tenantId), index('kb_chunks_document_idx').on(t.documentId)],
);
