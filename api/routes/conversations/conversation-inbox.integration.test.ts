import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

/**
 * The inbox list over 10,000 seeded conversations: every filter, view, search and the cursor are
 * checked against the expected rows, computed here from the same rules the seed used.
 */
const N = 10_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');
const CHANNELS = ['widget', 'whatsapp', 'sms', 'email'] as const;
const STATUSES = ['open', 'open', 'pending', 'resolved', 'snoozed'] as const;

interface Seeded {
  g: number;
  id: string;
  channel: string;
  status: string;
  owner: 'ai' | 'human';
  assignee: 'me' | 'other' | null;
  team: boolean;
  labels: string[];
  at: number | null;
}

const rule = (g: number): Omit<Seeded, 'id'> => ({
  g,
  channel: CHANNELS[g % 4],
  status: STATUSES[g % 5],
  owner: g % 3 === 0 ? 'human' : 'ai',
  assignee: g % 6 === 0 ? 'me' : g % 6 === 3 ? 'other' : null,
  team: g % 7 === 0,
  labels: [...(g % 10 === 0 ? ['vip'] : []), ...(g % 25 === 0 ? ['billing'] : [])],
  // Pairs share a timestamp (ties break on id), and the last ten have none (listed last).
  at: g > N - 10 ? null : BASE - Math.floor(g / 2) * 60_000,
});

let h: Harness;
let ws: Awaited<ReturnType<Harness['signup']>>;
let otherUserId: string;
let teamId: string;
let rows: Seeded[];

/** The inbox order: latest activity first, never-active last, ties by id. */
const inboxOrder = (a: Seeded, b: Seeded) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at === null ? 1 : b.at === null ? -1 : b.at - a.at);
const expected = (pred: (r: Seeded) => boolean) => rows.filter(pred).sort(inboxOrder).map((r) => r.id);
const unassigned = (r: Seeded) => r.assignee === null && r.owner === 'human' && (r.status === 'open' || r.status === 'pending');

async function seed(tenantId: string, meId: string) {
  await h.db.transaction(async (tx) => {
    // Triggers off: 40,000 live events would only flood the live hub of this test run.
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`
      insert into contacts (tenant_id, name, email, phone)
      select ${tenantId}, 'Seed Customer ' || g, 'seed' || g || '@example.com', '+1555' || lpad(g::text, 7, '0')
      from generate_series(1, ${N}) g`);
    await tx.execute(sql`
      insert into conversations (tenant_id, contact_id, channel, address, status, owner, assignee_id, team_id, labels, last_message_at, last_inbound_at, created_at)
      select ${tenantId}, ct.id, (array['widget','whatsapp','sms','email'])[1 + g % 4], 'seed-' || g,
        (array['open','open','pending','resolved','snoozed']::conversation_status[])[1 + g % 5],
        (case when g % 3 = 0 then 'human' else 'ai' end)::conversation_owner,
        case when g % 6 = 0 then ${meId}::uuid when g % 6 = 3 then ${otherUserId}::uuid end,
        case when g % 7 = 0 then ${teamId}::uuid end,
        (case when g % 10 = 0 then array['vip'] else '{}' end) || (case when g % 25 = 0 then array['billing'] else '{}' end),
        case when g <= ${N - 10} then ${new Date(BASE).toISOString()}::timestamptz - (g / 2) * interval '1 minute' end,
        ${new Date(BASE).toISOString()}::timestamptz - (g / 2) * interval '1 minute',
        ${new Date(BASE).toISOString()}::timestamptz - interval '30 days'
      from generate_series(1, ${N}) g
      join contacts ct on ct.tenant_id = ${tenantId} and ct.email = 'seed' || g || '@example.com'`);
    await tx.execute(sql`
      insert into messages (tenant_id, conversation_id, direction, author_role, channel, content, delivery_status, created_at)
      select c.tenant_id, c.id, (case when k = 2 then 'outbound' else 'inbound' end)::message_direction,
        (case when k = 2 then 'ai' else 'customer' end)::author_role, c.channel,
        case k when 1 then 'Question about order #' || substr(c.address, 6) when 2 then 'Here is the answer for your order'
          else case when c.address = 'seed-4242' then 'My parcel shows ZebraCrossing 100%_done' else 'thanks' end end,
        (case when k = 2 then 'sent' else 'received' end)::delivery_status,
        coalesce(c.last_message_at, c.created_at) - (3 - k) * interval '10 seconds'
      from conversations c, generate_series(1, 3) k where c.tenant_id = ${tenantId}`);
  });
  for (const table of ['conversations', 'messages', 'contacts']) await h.db.execute(sql.raw(`analyze ${table}`));
  const ids = await h.db.execute<{ id: string; address: string }>(sql`select id, address from conversations where tenant_id = ${tenantId}`);
  return ids.map((r) => ({ ...rule(Number(r.address.slice(5))), id: r.id }));
}

beforeAll(async () => {
  h = await startHarness({ worker: false });
  ws = await h.signup('inbox10k');
  otherUserId = randomUUID();
  teamId = randomUUID();
  await h.db.execute(sql`insert into users (id, tenant_id, email, name, role) values (${otherUserId}, ${ws.tenant.id}, ${`other-${otherUserId}@example.com`}, 'Other Agent', 'agent')`);
  await h.db.execute(sql`insert into teams (id, tenant_id, name) values (${teamId}, ${ws.tenant.id}, 'Billing desk')`);
  rows = await seed(ws.tenant.id, ws.user.id);
}, 120_000);
afterAll(async () => h?.close());

const list = async (query: string, token = ws.accessToken) => {
  const r = await h.call('GET', `/v1/conversations${query}`, undefined, token);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { conversations: Array<Record<string, any>>; nextCursor: string | null; counts?: Record<string, number> };
};

/** Every page of a query, following nextCursor. */
async function allPages(query: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page = await list(`${query}${query ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    ids.push(...page.conversations.map((c) => c.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('too many pages');
}

describe('inbox list over 10,000 conversations', () => {
  it('pages through every conversation exactly once, in inbox order, with view counts on the first page', async () => {
    const first = await list('');
    expect(first.conversations).toHaveLength(50);
    expect(first.counts).toEqual({
      all: N,
      mine: rows.filter((r) => r.assignee === 'me').length,
      unassigned: rows.filter(unassigned).length,
      ai: rows.filter((r) => r.owner === 'ai').length,
    });
    const c = first.conversations[0];
    const g1 = rows.find((r) => r.id === c.id)!;
    expect(c).toMatchObject({ channel: g1.channel, contact: { name: `Seed Customer ${g1.g}` }, lastMessage: { direction: 'inbound' } });
    expect(c.labels).toEqual(g1.labels);
    const withTeam = first.conversations.find((x) => x.teamId);
    expect(withTeam?.team).toEqual({ id: teamId, name: 'Billing desk' });
    const mine = first.conversations.find((x) => x.assigneeId === ws.user.id);
    expect(mine?.assignee).toEqual({ id: ws.user.id, name: 'inbox10k owner' });

    const all = await allPages('');
    expect(all).toEqual(expected(() => true));
    const second = await list(`?cursor=${first.nextCursor}`);
    expect(second.counts).toBeUndefined();
  });

  it('filters by view, status, channel, label, assignee and team', async () => {
    const cases: Array<[string, (r: Seeded) => boolean]> = [
      ['?view=mine', (r) => r.assignee === 'me'],
      ['?view=unassigned', unassigned],
      ['?view=unassigned&status=resolved', (r) => r.assignee === null && r.owner === 'human' && r.status === 'resolved'],
      ['?view=ai&channel=sms', (r) => r.owner === 'ai' && r.channel === 'sms'],
      ['?status=snoozed&channel=whatsapp', (r) => r.status === 'snoozed' && r.channel === 'whatsapp'],
      ['?label=billing', (r) => r.labels.includes('billing')],
      ['?label=VIP&view=mine', (r) => r.labels.includes('vip') && r.assignee === 'me'],
      [`?assigneeId=${otherUserId}`, (r) => r.assignee === 'other'],
      [`?teamId=${teamId}&status=open`, (r) => r.team && r.status === 'open'],
      ['?label=nobody-has-this', () => false],
    ];
    for (const [query, pred] of cases) {
      const page = await list(query);
      expect(page.conversations.map((c) => c.id), query).toEqual(expected(pred).slice(0, 50));
    }
    expect(await allPages('?label=billing')).toEqual(expected((r) => r.labels.includes('billing')));
    // Counts follow the other filters, not the view.
    const sms = await list('?view=mine&channel=sms');
    expect(sms.counts?.all).toBe(rows.filter((r) => r.channel === 'sms').length);
  });

  it('searches contact names, emails, phones and message text, case-insensitively', async () => {
    const g = (n: number) => rows.find((r) => r.g === n)!.id;
    expect((await list('?q=zebracrossing')).conversations.map((c) => c.id)).toEqual([g(4242)]);
    expect((await list('?q=SEED777@EXAMPLE')).conversations.map((c) => c.id)).toEqual([g(777)]);
    expect((await list('?q=0004243')).conversations.map((c) => c.id)).toEqual([g(4243)]);
    expect((await list('?q=seed customer 9999')).conversations.map((c) => c.id)).toEqual([g(9999)]);
    // LIKE wildcards in the term are literal: only the one message with "100%_" matches.
    expect((await list('?q=100%25_')).conversations.map((c) => c.id)).toEqual([g(4242)]);
    expect((await list('?q=%25')).conversations.map((c) => c.id)).toEqual([g(4242)]);
    // "order #12": 111 conversations, found through the trigram indexes and paged.
    const order12 = (r: Seeded) => String(r.g).startsWith('12');
    expect(await allPages('?q=order%20%2312')).toEqual(expected(order12));
    // Too common for an id list ("answer" is in every conversation) and too short for trigrams: walked in order.
    expect((await list('?q=Answer&view=mine')).conversations.map((c) => c.id)).toEqual(expected((r) => r.assignee === 'me').slice(0, 50));
    expect((await list('?q=%234&channel=email')).conversations.map((c) => c.id)).toEqual(expected((r) => String(r.g).startsWith('4') && r.channel === 'email').slice(0, 50));
    expect((await list('?q=no-such-words-anywhere')).conversations).toEqual([]);
    // A search combines with the other filters; an empty term is no search.
    expect((await list('?q=order%20%2312&status=pending')).conversations.map((c) => c.id)).toEqual(expected((r) => order12(r) && r.status === 'pending').slice(0, 50));
    expect((await list('?q=%20%20')).conversations).toHaveLength(50);
  });

  it('lists the labels in use with their counts', async () => {
    const r = await h.call('GET', '/v1/labels', undefined, ws.accessToken);
    expect(r.status).toBe(200);
    expect(r.body.labels).toEqual([
      { name: 'vip', count: rows.filter((x) => x.labels.includes('vip')).length },
      { name: 'billing', count: rows.filter((x) => x.labels.includes('billing')).length },
    ]);
  });

  it('rejects bad query values with a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['view=everything', 'view'],
      ['status=archived', 'status'],
      ['channel=fax', 'channel'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['assigneeId=me', 'assigneeId'],
      ['teamId=42', 'teamId'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2026-13-45 25:61:00+00', randomUUID()])).toString('base64url')}`, 'cursor'],
      // Date.parse takes these, PostgreSQL does not: they must fail here, not in the query.
      ...['2026-02-30 00:00:00+00', '0000-01-01 00:00:00+00', '2026-01-01 00:00:00+23'].map(
        (at): [string, string] => [`cursor=${Buffer.from(JSON.stringify([at, randomUUID()])).toString('base64url')}`, 'cursor'],
      ),
      [`label=${'x'.repeat(41)}`, 'label'],
      ['q=ab%00cd', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ];
    for (const [query, field] of cases) {
      const r = await h.call('GET', `/v1/conversations?${query}`, undefined, ws.accessToken);
      expect(r.status, query).toBe(400);
      expect(r.body.error.fields[0].field, query).toBe(field);
    }
  });

  it("shows another workspace none of these conversations, labels or search hits", async () => {
    const other = await h.signup('inbox-outsider');
    const page = await list('', other.accessToken);
    expect(page.conversations).toEqual([]);
    expect(page.counts).toEqual({ all: 0, mine: 0, unassigned: 0, ai: 0 });
    expect((await list('?q=zebracrossing', other.accessToken)).conversations).toEqual([]);
    expect((await list('?q=seed', other.accessToken)).conversations).toEqual([]);
    expect((await list(`?teamId=${teamId}`, other.accessToken)).conversations).toEqual([]);
    expect((await h.call('GET', '/v1/labels', undefined, other.accessToken)).body.labels).toEqual([]);
    // A cursor made from this tenant's rows reveals nothing elsewhere.
    const first = await list('');
    expect((await list(`?cursor=${first.nextCursor}`, other.accessToken)).conversations).toEqual([]);
  });
});
