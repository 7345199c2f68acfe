import { describe, expect, it } from 'vitest';
import { parseIntent } from './conversation-intents';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
}
const parse = (intent: string, fields: Record<string, string | string[]> = {}) => parseIntent(intent, form(fields), NOW);

describe('parseIntent', () => {
  it('takes over, hands back and assigns to the signed-in user', () => {
    expect(parse('take-over')).toEqual({ kind: 'take-over' });
    expect(parse('hand-back')).toEqual({ kind: 'hand-back' });
    expect(parse('assign-me')).toEqual({ kind: 'assign-me' });
  });

  it('assigns only the sides given; an empty value clears that side', () => {
    expect(parse('assign', { assigneeId: A })).toEqual({ kind: 'assign', assigneeId: A });
    expect(parse('assign', { teamId: B })).toEqual({ kind: 'assign', teamId: B });
    expect(parse('assign', { assigneeId: '', teamId: B })).toEqual({ kind: 'assign', assigneeId: null, teamId: B });
    expect(parse('unassign')).toEqual({ kind: 'assign', assigneeId: null });
  });

  it('refuses an assignment with nothing to assign or a malformed id', () => {
    expect(parse('assign')).toMatch(/agent or a team/);
    expect(parse('assign', { assigneeId: 'bob' })).toBe('assigneeId is not a valid id');
    expect(parse('assign', { teamId: '1; drop table' })).toBe('teamId is not a valid id');
  });

  it('snoozes until a future time or until the customer replies', () => {
    expect(parse('snooze', { until: '2026-11-23T09:00:00+01:00' })).toEqual({ kind: 'snooze', until: '2026-11-23T08:00:00.000Z' });
    expect(parse('snooze', { until: 'customer-reply' })).toEqual({ kind: 'snooze', until: null });
    expect(parse('snooze', { until: '2026-11-22T09:59:00Z' })).toMatch(/future/);
    expect(parse('snooze', { until: 'tomorrow' })).toMatch(/when/);
    expect(parse('snooze')).toMatch(/when/);
  });

  it('wakes a snoozed conversation, or reopens a finished one', () => {
    expect(parse('unsnooze')).toEqual({ kind: 'reopen' });
    expect(parse('reopen')).toEqual({ kind: 'reopen' });
  });

  it('resolves and closes', () => {
    expect(parse('resolve')).toEqual({ kind: 'close', status: 'resolved' });
    expect(parse('close')).toEqual({ kind: 'close', status: 'closed' });
  });

  it('replies and notes need text; notes keep only well-formed, distinct mentions', () => {
    expect(parse('reply', { content: '  hello  ' })).toEqual({ kind: 'reply', content: 'hello' });
    expect(parse('reply', { content: '   ' })).toBe('Write a reply first.');
    expect(parse('note', { content: 'ask @Ann', mentions: [A, A, 'x', B] })).toEqual({ kind: 'note', content: 'ask @Ann', mentions: [A, B] });
    expect(parse('note', { content: '' })).toBe('Write a note first.');
  });

  it('sets the whole label list, trimmed and without duplicates, within limits', () => {
    expect(parse('labels', { label: [' vip ', 'vip', 'refund', ''] })).toEqual({ kind: 'labels', labels: ['vip', 'refund'] });
    expect(parse('labels')).toEqual({ kind: 'labels', labels: [] });
    expect(parse('labels', { label: Array.from({ length: 21 }, (_, i) => `l${i}`) })).toMatch(/At most 20/);
    expect(parse('labels', { label: 'x'.repeat(41) })).toMatch(/40 characters/);
  });

  it('approves or rejects a named tool call', () => {
    expect(parse('approve-tool', { callId: A })).toEqual({ kind: 'tool-call', callId: A, verdict: 'approve' });
    expect(parse('reject-tool', { callId: B })).toEqual({ kind: 'tool-call', callId: B, verdict: 'reject' });
    expect(parse('approve-tool')).toMatch(/callId/);
  });

  it('names an unknown intent', () => {
    expect(parse('delete-everything')).toBe('Unknown action "delete-everything".');
  });
});
