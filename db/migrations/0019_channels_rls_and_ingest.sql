-- Same isolation as every other tenant-owned table (see 0001).
--> statement-breakpoint
ALTER TABLE channel_connections ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE channel_connections FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON channel_connections TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON channel_connections TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE consent_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consent_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON consent_events TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON consent_events TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE contact_merges ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE contact_merges FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON contact_merges TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON contact_merges TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE webhook_receipts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_receipts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON webhook_receipts TO switchboard_tenant USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY platform_access ON webhook_receipts TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
-- A message from a provider channel, stored in one round trip like the widget's (0006): the sender is
-- resolved to one contact by their normalised address, under a lock on that address, so concurrent
-- first messages from one person never create two contacts; the unique identity key backs it up.
-- p_thread_ids: provider message ids this message answers (email In-Reply-To and References); the
-- conversation holding one of them takes the message, else the contact's latest on the connection.
CREATE FUNCTION ingest_channel_message(
  p_tenant_id uuid, p_connection_id uuid, p_channel text, p_identity_kind text, p_address text, p_name text,
  p_provider_message_id text, p_content text, p_attachments jsonb, p_metadata jsonb, p_thread_ids text[]
) RETURNS TABLE (message_id uuid, conversation_id uuid, contact_id uuid, duplicate boolean, signaled boolean, opened boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_contact uuid;
  v_conversation uuid;
BEGIN
  opened := false;
  SELECT m.id, m.conversation_id, c.contact_id, m.signaled_at IS NOT NULL
    INTO message_id, conversation_id, contact_id, signaled
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.tenant_id = p_tenant_id AND m.channel = p_channel AND m.provider_message_id = p_provider_message_id;
  IF FOUND THEN
    duplicate := true;
    RETURN NEXT;
    RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant_id::text || ':' || p_identity_kind || ':' || p_address, 0));
  -- A re-delivery that raced this one past the first check waited on the lock: look again.
  SELECT m.id, m.conversation_id, c.contact_id, m.signaled_at IS NOT NULL
    INTO message_id, conversation_id, contact_id, signaled
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.tenant_id = p_tenant_id AND m.channel = p_channel AND m.provider_message_id = p_provider_message_id;
  IF FOUND THEN
    duplicate := true;
    RETURN NEXT;
    RETURN;
  END IF;

  SELECT COALESCE(k.merged_into, k.id) INTO v_contact
    FROM contact_identities i JOIN contacts k ON k.id = i.contact_id
    WHERE i.tenant_id = p_tenant_id AND i.channel = p_identity_kind AND i.external_id = p_address;
  IF v_contact IS NULL THEN
    INSERT INTO contacts (tenant_id, name, email, phone)
      VALUES (p_tenant_id, p_name,
        CASE WHEN p_identity_kind = 'email' THEN p_address END,
        CASE WHEN p_identity_kind = 'phone' THEN p_address END)
      RETURNING id INTO v_contact;
    INSERT INTO contact_identities (tenant_id, contact_id, channel, external_id)
      VALUES (p_tenant_id, v_contact, p_identity_kind, p_address);
  ELSIF p_name IS NOT NULL THEN
    UPDATE contacts SET name = p_name, updated_at = now() WHERE id = v_contact AND name IS NULL;
  END IF;

  IF p_thread_ids IS NOT NULL AND cardinality(p_thread_ids) > 0 THEN
    SELECT m.conversation_id INTO v_conversation
      FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.tenant_id = p_tenant_id AND m.channel = p_channel AND m.provider_message_id = ANY (p_thread_ids)
        AND c.contact_id = v_contact
      ORDER BY m.created_at DESC LIMIT 1;
  END IF;
  IF v_conversation IS NULL THEN
    SELECT c.id INTO v_conversation FROM conversations c
      WHERE c.tenant_id = p_tenant_id AND c.contact_id = v_contact AND c.channel = p_channel
        AND c.connection_id IS NOT DISTINCT FROM p_connection_id
      ORDER BY c.created_at DESC LIMIT 1;
  END IF;
  IF v_conversation IS NULL THEN
    INSERT INTO conversations (tenant_id, contact_id, channel, connection_id, address, last_inbound_at, last_message_at)
      VALUES (p_tenant_id, v_contact, p_channel, p_connection_id, p_address, now(), now())
      RETURNING id INTO v_conversation;
    opened := true;
  ELSE
    UPDATE conversations SET last_inbound_at = now(), last_message_at = now(), updated_at = now(), address = p_address
      WHERE id = v_conversation;
  END IF;

  INSERT INTO messages (tenant_id, conversation_id, direction, author_role, channel, content, delivery_status, provider_message_id, attachments, metadata)
    VALUES (p_tenant_id, v_conversation, 'inbound', 'customer', p_channel, p_content, 'received', p_provider_message_id, p_attachments, p_metadata)
    RETURNING id INTO message_id;
  conversation_id := v_conversation;
  contact_id := v_contact;
  duplicate := false;
  signaled := false;
  RETURN NEXT;
END $$;
--> statement-breakpoint
CREATE FUNCTION ingest_channel_message_as_tenant(
  p_tenant_id uuid, p_connection_id uuid, p_channel text, p_identity_kind text, p_address text, p_name text,
  p_provider_message_id text, p_content text, p_attachments jsonb, p_metadata jsonb, p_thread_ids text[]
) RETURNS TABLE (message_id uuid, conversation_id uuid, contact_id uuid, duplicate boolean, signaled boolean, opened boolean)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('role', 'switchboard_tenant', true), set_config('app.tenant_id', p_tenant_id::text, true);
  RETURN QUERY SELECT * FROM ingest_channel_message(p_tenant_id, p_connection_id, p_channel, p_identity_kind, p_address, p_name,
    p_provider_message_id, p_content, p_attachments, p_metadata, p_thread_ids);
END $$;
--> statement-breakpoint
-- Delivery statuses only move forward: queued < sent < delivered < read. failed is reachable from
-- queued or sent only (a carrier's late "undelivered" after "delivered" is not believed).
CREATE FUNCTION delivery_status_rank(s delivery_status) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE s WHEN 'received' THEN 0 WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 5 END
$$;
