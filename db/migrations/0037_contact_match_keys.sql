DROP INDEX "contacts_email_norm_idx";--> statement-breakpoint
DROP INDEX "contacts_phone_norm_idx";--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_key" text GENERATED ALWAYS AS (lower(email)) STORED;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "phone_key" text GENERATED ALWAYS AS (regexp_replace(phone, '\D', '', 'g')) STORED;--> statement-breakpoint
CREATE INDEX "contacts_email_key_idx" ON "contacts" USING btree ("tenant_id","email_key");--> statement-breakpoint
CREATE INDEX "contacts_phone_key_idx" ON "contacts" USING btree ("tenant_id","phone_key");--> statement-breakpoint
-- Phone search by digits goes through the stored key now.
DROP INDEX IF EXISTS contacts_phone_digits_trgm_idx;--> statement-breakpoint
CREATE INDEX contacts_phone_key_trgm_idx ON contacts USING gin (phone_key gin_trgm_ops);
