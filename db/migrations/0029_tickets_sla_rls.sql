ALTER TABLE ticket_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ticket_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON ticket_events TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON ticket_events TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE sla_policies ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sla_policies FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON sla_policies TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON sla_policies TO CURRENT_USER USING (true) WITH CHECK (true);
