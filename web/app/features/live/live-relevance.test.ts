import { describe, expect, it } from 'vitest';
import { laneFor, type LiveEventData, type ScreenContext } from './live-relevance';

const ME = 'user-me';

const screen = (over: Partial<ScreenContext> = {}, onScreen: string[] = []): ScreenContext => ({
  openConversationId: null,
  list: { view: 'all', status: 'open', channel: '', assigneeId: '' },
  viewerId: ME,
  onScreen: (id) => onScreen.includes(id),
  ...over,
});

const message = (conversationId: string, channel = 'whatsapp'): LiveEventData => ({
  id: 1,
  kind: 'message.insert',
  conversationId,
  channel,
  message: { id: 'm1', conversationId },
});

const change = (conversationId: string, state: Partial<NonNullable<LiveEventData['conversation']>> = {}): LiveEventData => ({
  id: 2,
  kind: 'conversation.update',
  conversationId,
  channel: 'whatsapp',
  conversation: { id: conversationId, status: 'open', owner: 'ai', assigneeId: null, channel: 'whatsapp', ...state },
});

describe('laneFor', () => {
  it('reloads at once for the open conversation, its notes included', () => {
    const open = screen({ openConversationId: 'c1' });
    expect(laneFor(message('c1'), open)).toBe('now');
    expect(laneFor({ id: 3, kind: 'note.insert', conversationId: 'c1' }, open)).toBe('now');
    expect(laneFor({ id: 3, kind: 'note.insert', conversationId: 'c2' }, open)).toBeNull();
  });

  it('reloads at once for a row on screen, even one leaving the list', () => {
    expect(laneFor(change('c2', { status: 'closed' }), screen({}, ['c2']))).toBe('now');
  });

  it('reloads at once for messages that may add a row', () => {
    expect(laneFor(message('c9'), screen())).toBe('now');
  });

  it('waits for events the filters rule out', () => {
    const emailOnly = screen({ list: { view: 'all', status: 'open', channel: 'email', assigneeId: '' } });
    expect(laneFor(message('c9', 'sms'), emailOnly)).toBe('later');
    expect(laneFor(change('c9', { status: 'closed' }), screen())).toBe('later');
    const mine = screen({ list: { view: 'mine', status: 'all', channel: '', assigneeId: '' } });
    expect(laneFor(change('c9', { assigneeId: 'someone-else' }), mine)).toBe('later');
    expect(laneFor(change('c9', { assigneeId: ME }), mine)).toBe('now');
    const unassigned = screen({ list: { view: 'unassigned', status: 'open', channel: '', assigneeId: '' } });
    expect(laneFor(change('c9', { assigneeId: ME }), unassigned)).toBe('later');
    expect(laneFor(change('c9', { owner: 'ai' }), unassigned)).toBe('later');
    expect(laneFor(change('c9', { owner: 'human' }), unassigned)).toBe('now');
    const ai = screen({ list: { view: 'ai', status: 'open', channel: '', assigneeId: '' } });
    expect(laneFor(change('c9', { owner: 'human' }), ai)).toBe('later');
  });

  it('ignores other conversations on pages other than the inbox, but not the one they show', () => {
    expect(laneFor(change('c9', { status: 'closed' }), screen({ list: null }))).toBeNull();
    expect(laneFor(message('c9'), screen({ list: null }))).toBeNull();
    expect(laneFor(message('c9'), screen({ list: null, openConversationId: 'c9' }))).toBe('now');
  });
});
