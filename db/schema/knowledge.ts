import { index, integer, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.js';

export const documentFormat = pgEnum('document_format', ['markdown', 'text', 'html']);

/** Where a document's indexing stands. Only chunks of its live generation are ever searched. */
export const kbDocumentStatus = pgEnum('kb_document_status', ['indexing', 'ready', 'failed']);

/** The embedding model of rows written before models were recorded: the local hashed embedding. */
export const LEGACY_EMBEDDING_MODEL = 'local-hash-512';

/**
 * A knowledge-base document as the tenant gave it; its chunks are derived and rebuilt on change.
 *
 * Invariant: readers use only chunks whose `generation` equals the document's `live_generation`.
 * An (re)index builds `indexing_generation` beside the live one and swaps in one transaction,
 * deleting every other generation, so search never sees a half-indexed document or stale chunks.
 */
export const kbDocuments = pgTable(
  'kb_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    format: documentFormat('format').notNull(),
    body: text('body').notNull(),
    chunkCount: integer('chunk_count').notNull().default(0),
    status: kbDocumentStatus('status').notNull().default('ready'),
    chunksTotal: integer('chunks_total').notNull().default(0),
    chunksDone: integer('chunks_done').notNull().default(0),
    error: text('error'),
    /** The generation readers use; 0 (with no chunks) until the first index completes. */
    liveGeneration: integer('live_generation').notNull().default(0),
    /** The generation being built, or null when no indexing is under way. */
    indexingGeneration: integer('indexing_generation'),
    /** The embedding model of the live generation's vectors. */
    embeddingModel: text('embedding_model').notNull().default(LEGACY_EMBEDDING_MODEL),
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
    generation: integer('generation').notNull().default(0),
    ordinal: integer('ordinal').notNull(),
    heading: text('heading').notNull(),
    content: text('content').notNull(),
    /**
     * The chunk's vector as produced by `embedding_model`. Where the server has pgvector, migration
     * 0014 adds an `embedding_vec vector` column beside it (raw SQL only, never declared here).
     */
    embedding: real('embedding').array().notNull(),
    embeddingModel: text('embedding_model').notNull().default(LEGACY_EMBEDDING_MODEL),
  },
  (t) => [
    index('kb_chunks_tenant_idx').on(t.tenantId),
    index('kb_chunks_document_idx').on(t.documentId),
    // Makes a retried batch insert idempotent (`on conflict do nothing`).
    uniqueIndex('kb_chunks_document_generation_ordinal_idx').on(t.documentId, t.generation, t.ordinal),
  ],
);
