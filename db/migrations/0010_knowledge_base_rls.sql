-- Knowledge-base tables get the same isolation as every other tenant-owned table (see 0001).
ALTER TABLE kb_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE kb_documents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON kb_documents TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON kb_documents TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE kb_chunks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE kb_chunks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON kb_chunks TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON kb_chunks TO CURRENT_USER USING (true) WITH CHECK (true);
