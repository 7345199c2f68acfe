ALTER TABLE macros ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE macros FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON macros TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON macros TO CURRENT_USER USING (true) WITH CHECK (true);
