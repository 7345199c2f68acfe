-- Ingest waits for a merge of the sender's contact in progress (see the lock below); otherwise as 0019.
CREATE OR REPLACE FUNCTION ingest_channel_message(
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

  -- FOR SHARE: a merge of this contact (which locks it FOR UPDATE) finishes first, and the row then
  -- read names the survivor, so no conversation is opened on a contact merged away meanwhile.
  SELECT COALESCE(k.merged_into, k.id) INTO v_contact
    FROM contact_identities i JOIN contacts k ON k.id = i.contact_id
    WHERE i.tenant_id = p_tenant_id AND i.channel = p_identity_kind AND i.external_id = p_address
    FOR SHARE OF k;
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
