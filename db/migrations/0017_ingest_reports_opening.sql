-- Ingest also says whether the message opened its conversation: that run starts from the new
-- row's known defaults instead of reading them back (the reply activity still checks them).
DROP FUNCTION ingest_inbound_message_as_tenant(uuid, uuid, text, text, text);
--> statement-breakpoint
DROP FUNCTION ingest_inbound_message(uuid, uuid, text, text, text);
--> statement-breakpoint
CREATE FUNCTION ingest_inbound_message(
  p_tenant_id uuid, p_contact_id uuid, p_channel text, p_provider_message_id text, p_content text
) RETURNS TABLE (message_id uuid, conversation_id uuid, duplicate boolean, signaled boolean, opened boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_conversation uuid;
  v_message uuid;
BEGIN
  -- Under row-level security this finds only the caller's own contacts: no cross-tenant links.
  PERFORM 1 FROM contacts c WHERE c.id = p_contact_id AND c.tenant_id = p_tenant_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'contact % not found in tenant %', p_contact_id, p_tenant_id USING ERRCODE = 'P0002';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(p_contact_id::text || ':' || p_channel, 0));
  SELECT m.id, m.conversation_id, m.signaled_at IS NOT NULL
    INTO message_id, conversation_id, signaled
    FROM messages m
    WHERE m.tenant_id = p_tenant_id AND m.channel = p_channel AND m.provider_message_id = p_provider_message_id;
  IF FOUND THEN
    duplicate := true;
    opened := false;
    RETURN NEXT;
    RETURN;
  END IF;

  opened := false;
  SELECT c.id INTO v_conversation FROM conversations c
    WHERE c.tenant_id = p_tenant_id AND c.contact_id = p_contact_id AND c.channel = p_channel
    ORDER BY c.created_at DESC LIMIT 1;
  IF v_conversation IS NULL THEN
    INSERT INTO conversations (tenant_id, contact_id, channel, last_inbound_at, last_message_at)
      VALUES (p_tenant_id, p_contact_id, p_channel, now(), now())
      RETURNING id INTO v_conversation;
    opened := true;
  ELSE
    UPDATE conversations SET last_inbound_at = now(), last_message_at = now(), updated_at = now()
      WHERE id = v_conversation;
  END IF;

  INSERT INTO messages (tenant_id, conversation_id, direction, author_role, channel, content, delivery_status, provider_message_id)
    VALUES (p_tenant_id, v_conversation, 'inbound', 'customer', p_channel, p_content, 'received', p_provider_message_id)
    RETURNING id INTO v_message;

  message_id := v_message;
  conversation_id := v_conversation;
  duplicate := false;
  signaled := false;
  RETURN NEXT;
END $$;
--> statement-breakpoint
CREATE FUNCTION ingest_inbound_message_as_tenant(
  p_tenant_id uuid, p_contact_id uuid, p_channel text, p_provider_message_id text, p_content text
) RETURNS TABLE (message_id uuid, conversation_id uuid, duplicate boolean, signaled boolean, opened boolean)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('role', 'switchboard_tenant', true), set_config('app.tenant_id', p_tenant_id::text, true);
  RETURN QUERY SELECT * FROM ingest_inbound_message(p_tenant_id, p_contact_id, p_channel, p_provider_message_id, p_content);
END $$;
