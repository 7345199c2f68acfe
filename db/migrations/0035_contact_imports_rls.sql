ALTER TABLE contact_imports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE contact_imports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON contact_imports TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON contact_imports TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE contact_import_errors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE contact_import_errors FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON contact_import_errors TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON contact_import_errors TO CURRENT_USER USING (true) WITH CHECK (true);
