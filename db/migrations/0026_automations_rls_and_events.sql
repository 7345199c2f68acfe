ALTER TABLE automations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE automations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON automations TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON automations TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE automation_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE automation_versions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON automation_versions TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON automation_versions TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE automation_runs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE automation_runs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON automation_runs TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON automation_runs TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE automation_run_steps ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE automation_run_steps FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON automation_run_steps TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON automation_run_steps TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE automation_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE automation_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON automation_events TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON automation_events TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE automations ADD CONSTRAINT automations_active_version_fk FOREIGN KEY (active_version_id) REFERENCES automation_versions(id) ON DELETE SET NULL;
--> statement-breakpoint
-- Record events for automation triggers. Written in the changing transaction, so an event is never
-- lost, and only while the tenant has an active automation for that kind, so tenants without
-- automations pay one index probe.
CREATE OR REPLACE FUNCTION record_automation_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := TG_ARGV[0];
  body jsonb;
  ev_id bigint;
  changed text[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM automations a WHERE a.tenant_id = NEW.tenant_id AND a.trigger_type = kind AND a.active_version_id IS NOT NULL AND a.enabled) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'conversations' THEN
    body := jsonb_build_object('conversationId', NEW.id, 'contactId', NEW.contact_id, 'channel', NEW.channel, 'status', NEW.status);
  ELSIF TG_TABLE_NAME = 'contacts' THEN
    IF NEW.merged_into IS NOT NULL THEN RETURN NULL; END IF;
    body := jsonb_build_object('contactId', NEW.id);
    IF TG_OP = 'UPDATE' THEN
      SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO changed
        FROM (SELECT jsonb_object_keys(NEW.attributes) AS k UNION SELECT jsonb_object_keys(OLD.attributes)) keys
        WHERE (NEW.attributes -> k) IS DISTINCT FROM (OLD.attributes -> k);
      IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
      body := body || jsonb_build_object('changed', to_jsonb(changed),
        'before', (SELECT coalesce(jsonb_object_agg(k, OLD.attributes -> k), '{}') FROM unnest(changed) k),
        'after', (SELECT coalesce(jsonb_object_agg(k, NEW.attributes -> k), '{}') FROM unnest(changed) k));
    END IF;
  ELSIF TG_TABLE_NAME = 'lead_stage_changes' THEN
    body := jsonb_build_object('leadId', NEW.lead_id, 'fromStageId', NEW.from_stage_id, 'toStageId', NEW.to_stage_id)
      || (SELECT jsonb_build_object('pipelineId', l.pipeline_id, 'contactId', l.contact_id) FROM leads l WHERE l.id = NEW.lead_id);
  ELSIF TG_TABLE_NAME = 'tickets' THEN
    body := jsonb_build_object('ticketId', NEW.id, 'contactId', NEW.contact_id, 'conversationId', NEW.conversation_id,
      'status', NEW.status, 'priority', NEW.priority);
    IF TG_OP = 'UPDATE' THEN
      SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO changed
        FROM (SELECT key AS k FROM jsonb_each(to_jsonb(NEW)) n WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key AND n.key <> 'updated_at') keys;
      IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
      body := body || jsonb_build_object('changed', to_jsonb(changed));
    END IF;
  END IF;
  INSERT INTO automation_events (tenant_id, kind, payload) VALUES (NEW.tenant_id, kind, body) RETURNING id INTO ev_id;
  PERFORM pg_notify('automation_events', ev_id::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conversations_automation_created AFTER INSERT ON conversations FOR EACH ROW EXECUTE FUNCTION record_automation_event('trigger.conversation_created');
--> statement-breakpoint
CREATE TRIGGER conversations_automation_resolved AFTER UPDATE OF status ON conversations FOR EACH ROW WHEN (NEW.status = 'resolved' AND OLD.status IS DISTINCT FROM 'resolved') EXECUTE FUNCTION record_automation_event('trigger.conversation_resolved');
--> statement-breakpoint
CREATE TRIGGER contacts_automation_created AFTER INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION record_automation_event('trigger.contact_created');
--> statement-breakpoint
CREATE TRIGGER contacts_automation_attribute AFTER UPDATE OF attributes ON contacts FOR EACH ROW WHEN (OLD.attributes IS DISTINCT FROM NEW.attributes) EXECUTE FUNCTION record_automation_event('trigger.contact_attribute_changed');
--> statement-breakpoint
CREATE TRIGGER lead_stage_changes_automation AFTER INSERT ON lead_stage_changes FOR EACH ROW EXECUTE FUNCTION record_automation_event('trigger.lead_stage_changed');
--> statement-breakpoint
CREATE TRIGGER tickets_automation_created AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION record_automation_event('trigger.ticket_created');
--> statement-breakpoint
CREATE TRIGGER tickets_automation_updated AFTER UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION record_automation_event('trigger.ticket_updated');
