-- Same isolation as every other tenant-owned table (see 0001).
ALTER TABLE llm_providers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE llm_providers FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON llm_providers TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON llm_providers TO CURRENT_USER USING (true) WITH CHECK (true);
