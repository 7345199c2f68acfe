ALTER TABLE contact_notes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE contact_notes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON contact_notes TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON contact_notes TO CURRENT_USER USING (true) WITH CHECK (true);
