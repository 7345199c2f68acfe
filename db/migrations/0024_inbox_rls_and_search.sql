ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE teams FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON teams TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON teams TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE team_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE team_members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON team_members TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON team_members TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE canned_responses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE canned_responses FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON canned_responses TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON canned_responses TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE conversation_notes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE conversation_notes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON conversation_notes TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON conversation_notes TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
-- Inbox search: substring matches on contact names, addresses and message text.
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (email gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX contacts_phone_trgm_idx ON contacts USING gin (phone gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX messages_content_trgm_idx ON messages USING gin (content gin_trgm_ops);
--> statement-breakpoint
-- Live events: notes, and the inbox fields agents filter by (labels, team), reach open inboxes.
--> statement-breakpoint
CREATE OR REPLACE FUNCTION record_live_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ev_id bigint;
  conv uuid;
BEGIN
  IF TG_TABLE_NAME IN ('messages', 'tool_calls', 'conversation_notes') THEN
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
DROP TRIGGER conversations_live ON conversations;
--> statement-breakpoint
CREATE TRIGGER conversations_live AFTER INSERT OR UPDATE OF status, owner, assignee_id, team_id, labels, snoozed_until ON conversations FOR EACH ROW EXECUTE FUNCTION record_live_event('conversation');
--> statement-breakpoint
CREATE TRIGGER conversation_notes_live AFTER INSERT ON conversation_notes FOR EACH ROW EXECUTE FUNCTION record_live_event('note');
