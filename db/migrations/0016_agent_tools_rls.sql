-- Same isolation as every other tenant-owned table (see 0001).
--> statement-breakpoint
ALTER TABLE tool_calls ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tool_calls FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tool_calls TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON tool_calls TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE http_tools ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE http_tools FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON http_tools TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON http_tools TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE follow_ups ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE follow_ups FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON follow_ups TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON follow_ups TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tickets FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tickets TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON tickets TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE pipelines ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE pipelines FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON pipelines TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON pipelines TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE pipeline_stages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE pipeline_stages FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON pipeline_stages TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON pipeline_stages TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON leads TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON leads TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE lead_stage_changes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lead_stage_changes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON lead_stage_changes TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON lead_stage_changes TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE refunds FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON refunds TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON refunds TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE stock_subscriptions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stock_subscriptions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON stock_subscriptions TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON stock_subscriptions TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON campaigns TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON campaigns TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE campaign_recipients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE campaign_recipients FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON campaign_recipients TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON campaign_recipients TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
-- Tool calls show up live in the inbox, like messages: an approval request must reach agents at once.
CREATE OR REPLACE FUNCTION record_live_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ev_id bigint;
  conv uuid;
BEGIN
  IF TG_TABLE_NAME IN ('messages', 'tool_calls') THEN
    conv := NEW.conversation_id;
  ELSE
    conv := NEW.id;
  END IF;
  INSERT INTO live_events (tenant_id, conversation_id, kind, ref_id)
    VALUES (NEW.tenant_id, conv, TG_ARGV[0] || '.' || lower(TG_OP), NEW.id)
    RETURNING id INTO ev_id;
  PERFORM pg_notify('live_events', NEW.tenant_id::text || ':' || ev_id::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tool_calls_live AFTER INSERT OR UPDATE OF status ON tool_calls FOR EACH ROW EXECUTE FUNCTION record_live_event('tool_call');
