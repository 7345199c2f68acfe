CREATE TYPE "public"."kb_document_status" AS ENUM('indexing', 'ready', 'failed');--> statement-breakpoint
ALTER TABLE "kb_chunks" ADD COLUMN "generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_chunks" ADD COLUMN "embedding_model" text DEFAULT 'local-hash-512' NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "status" "kb_document_status" DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "chunks_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "chunks_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "live_generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "indexing_generation" integer;--> statement-breakpoint
ALTER TABLE "kb_documents" ADD COLUMN "embedding_model" text DEFAULT 'local-hash-512' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_chunks_document_generation_ordinal_idx" ON "kb_chunks" USING btree ("document_id","generation","ordinal");--> statement-breakpoint
UPDATE "kb_documents" SET "chunks_total" = "chunk_count", "chunks_done" = "chunk_count";
