import { describe, expect, it } from 'vitest';
import { classifyChatwootEvent } from './chatwoot-events.js';

const message = (over: Record<string, unknown> = {}) => ({
  event: 'message_created',
  id: 118,
  content: 'hi',
  message_type: 'incoming',
  private: false,
  sender: { id: 14, name: 'Jane', type: 'contact' },
  inbox: { id: 1, name: 'Support' },
  conversation: { id: 10, inbox_id: 1, status: 'pending', meta: { assignee: null } },
  account: { id: 1, name: 'Acme' },
  ...over,
});

const kind = (body: unknown) => {
  const r = classifyChatwootEvent(body);
  return r.ok ? r.event.kind : 'invalid';
};

describe('classifying Chatwoot webhook deliveries', () => {
  it("takes a contact's public incoming message as the customer speaking", () => {
    const r = classifyChatwootEvent(message());
    expect(r.ok && r.event.kind === 'customer_message' && r.event.message.conversation.id).toBe('10');
    expect(kind(message({ id: '118', message_type: 0 }))).toBe('customer_message');
  });

  it('keeps outgoing, private, activity, template, bot and empty messages out', () => {
    expect(kind(message({ message_type: 'outgoing', sender: { id: 9, name: 'Bot', type: 'agent_bot' } }))).toBe('ignored');
    expect(kind(message({ message_type: 'outgoing', sender: { id: 3, name: 'Sam', type: 'user' } }))).toBe('agent_message');
    expect(kind(message({ message_type: 'outgoing', sender: { id: 3, name: 'Sam', type: 'user' }, private: true }))).toBe('ignored');
    expect(kind(message({ private: true }))).toBe('ignored');
    expect(kind(message({ message_type: 'activity', sender: null }))).toBe('ignored');
    expect(kind(message({ message_type: 'template' }))).toBe('ignored');
    expect(kind(message({ sender: { id: 9, type: 'agent_bot' } }))).toBe('ignored');
    expect(kind(message({ content: '   ' }))).toBe('ignored');
    expect(kind({ event: 'conversation_typing_on' })).toBe('ignored');
  });

  it('reads conversation_status_changed', () => {
    const r = classifyChatwootEvent({ event: 'conversation_status_changed', id: 10, status: 'open', meta: { assignee: { id: 3, name: 'Sam', type: 'user' } } });
    expect(r.ok && r.event.kind === 'status_changed' && r.event.conversation.status).toBe('open');
  });

  it('names the field of a malformed payload', () => {
    const fields = (body: unknown) => {
      const r = classifyChatwootEvent(body);
      return r.ok ? [] : r.fields.map((f) => f.field);
    };
    expect(fields([])).toEqual(['body']);
    expect(fields({})).toEqual(['event']);
    expect(fields(message({ conversation: undefined }))).toContain('conversation');
    expect(fields(message({ id: 'abc' }))).toContain('id');
    expect(fields(message({ message_type: 'sideways' }))).toContain('message_type');
    expect(fields({ event: 'conversation_status_changed', id: 10, status: 'archived' })).toContain('status');
  });
});
