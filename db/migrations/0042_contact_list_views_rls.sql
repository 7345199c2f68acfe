ALTER TABLE contact_list_views ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE contact_list_views FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON contact_list_views TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON contact_list_views TO CURRENT_USER USING (true) WITH CHECK (true);
