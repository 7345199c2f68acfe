-- A new message already raises a message event; bumping the conversation's last_message_at with it
-- raised a second, redundant conversation event for every message.
DROP TRIGGER IF EXISTS conversations_live ON conversations;
--> statement-breakpoint
CREATE TRIGGER conversations_live AFTER INSERT OR UPDATE OF status, owner, assignee_id, snoozed_until ON conversations FOR EACH ROW EXECUTE FUNCTION record_live_event('conversation');
