import { describe, expect, it } from 'vitest';
import { activeFilterCount, inboxSearch, initials, parseInboxQuery, toListParams, withQuery } from './inbox-query';

const U1 = '8f0f6a52-1c1e-4c57-9b52-0d6f4f0c6a11';
const T1 = '0b7e0c43-2f4a-4d0e-8a7e-2a9d4b1c5e22';

const parse = (search: string) => parseInboxQuery(new URLSearchParams(search));

describe('inbox query string', () => {
  it('defaults to all open conversations', () => {
    expect(parse('')).toEqual({ view: 'all', status: 'open', channel: '', label: '', assigneeId: '', teamId: '', q: '' });
    expect(inboxSearch(parse(''))).toBe('?status=open');
  });

  it('drops unknown views and statuses instead of failing', () => {
    expect(parse('view=everything&status=deleted')).toMatchObject({ view: 'all', status: 'open' });
  });

  it('round-trips every field, trimming text', () => {
    const query = parse(`view=mine&status=snoozed&channel=email&label=VIP&assigneeId=${U1}&teamId=${T1}&q=%20refund%20`);
    expect(query).toMatchObject({ q: 'refund', label: 'vip', assigneeId: U1, teamId: T1 });
    expect(parse(inboxSearch(query).slice(1))).toEqual(query);
  });

  it('patches one field and keeps the others', () => {
    const query = parse('view=ai&channel=sms');
    expect(withQuery(query, { view: 'mine' })).toBe('?view=mine&status=open&channel=sms');
    expect(withQuery(query, { channel: '' })).toBe('?view=ai&status=open');
  });

  it('drops values the API would refuse', () => {
    expect(parse('channel=fax&assigneeId=bob&teamId=1')).toMatchObject({ channel: '', assigneeId: '', teamId: '' });
  });

  it('caps search text so a URL cannot carry an unbounded query', () => {
    expect(parse(`q=${'x'.repeat(500)}`).q).toHaveLength(200);
  });

  it('maps "all" status to no filter for the API', () => {
    expect(toListParams(parse('status=all&view=unassigned'))).toMatchObject({ view: 'unassigned', status: undefined, channel: undefined });
    expect(toListParams(parse('status=closed&label=vip'))).toMatchObject({ status: 'closed', label: 'vip' });
  });

  it('counts active filters', () => {
    expect(activeFilterCount(parse('view=mine&status=closed'))).toBe(0);
    expect(activeFilterCount(parse('channel=sms&label=vip&q=hi'))).toBe(3);
  });

  it('makes initials from names and addresses', () => {
    expect(initials('Ada King Lovelace')).toBe('AL');
    expect(initials('ops@example.com')).toBe('O');
    expect(initials('')).toBe('?');
  });
});
