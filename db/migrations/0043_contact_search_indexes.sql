DROP INDEX "contacts_email_key_idx";--> statement-breakpoint
CREATE INDEX "contacts_phone_key_suffix_idx" ON "contacts" USING btree ("tenant_id",reverse("phone_key") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "contacts_email_key_idx" ON "contacts" USING btree ("tenant_id","email_key" text_pattern_ops);