import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { encodeCursor, type Cursor } from '../keyset-cursor.js';

export const TimelineEntry = z.object({
  id: z.string().describe('The record the entry is about: a message, note, ticket event or stage change'),
  kind: z.enum(['message', 'note', 'ticket_created', 'ticket_status', 'stage_change']),
  at: z.string(),
  conversationId: z.string().uuid().nullable(),
  channel: z.string().nullable(),
  authorRole: z.string().nullable().describe('message: customer, ai, agent or system'),
  actorUserId: z.string().uuid().nullable(),
  text: z.string().nullable().describe('A message or note (the first 500 characters), a ticket subject, a lead title'),
  ticketId: z.string().uuid().nullable(),
  leadId: z.string().uuid().nullable(),
  from: z.string().nullable().describe('ticket_status: the old status; stage_change: the old stage'),
  to: z.string().nullable(),
  detected: z.record(z.string(), z.unknown()).nullable().describe("message: what the AI detected in the customer's message (intent, sentiment, urgency, language, custom)"),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** A timestamp as PostgreSQL prints it ("2026-03-02 09:00:00.123456+00") as ISO 8601. */
const isoOf = (pg: string) => new Date(pg.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();

/**
 * One contact's history, newest first: messages on every channel (with what the AI detected in
 * the customer's), notes on the contact and its conversations, its tickets being filed and moved,
 * and its leads changing stage. Each source is read through its own index by contact (or by the
 * contact's conversations) and cut at the page before the sources are merged.
 */
export async function contactTimeline(tx: Tx, contactId: string, opts: { before: Cursor | null; limit: number }) {
  const before = opts.before ? sql`(at, id) < (${opts.before.at}::timestamptz, ${opts.before.id})` : sql`true`;
  // Every source gives these columns, in this order.
  const page = (query: ReturnType<typeof sql>) =>
    sql`(select * from (${query}) s(id, kind, at, conversation_id, channel, author_role, actor_user_id, text, ticket_id, lead_id, "from", "to", detected)
      where ${before} order by at desc, id desc limit ${opts.limit + 1})`;
  const rows = (await tx.execute(sql`
    with convs as (select id, channel from conversations where contact_id = ${contactId})
    select * from (
      ${page(sql`select m.id::text, 'message' as kind, m.created_at as at, m.conversation_id, m.channel, m.author_role::text as author_role, m.author_user_id as actor_user_id,
          left(m.content, 500) as text, null::uuid as ticket_id, null::uuid as lead_id, null::text as "from", null::text as "to",
          case when m.author_role = 'customer' and m.attributes is not null then jsonb_strip_nulls(jsonb_build_object(
            'intent', m.attributes -> 'intent', 'sentiment', m.attributes -> 'sentiment', 'urgency', m.attributes -> 'urgency',
            'priority', m.attributes -> 'priority', 'language', m.attributes -> 'language', 'custom', m.attributes -> 'custom')) end as detected
        from messages m where m.conversation_id in (select id from convs) and m.author_role <> 'system'`)}
      union all
      ${page(sql`select n.id::text, 'note', n.created_at, n.conversation_id, c.channel, null::text, n.author_user_id, left(n.content, 500), null::uuid, null::uuid, null::text, null::text, null::jsonb
        from conversation_notes n join convs c on c.id = n.conversation_id`)}
      union all
      ${page(sql`select n.id::text, 'note', n.created_at, null::uuid, null::text, null::text, n.author_user_id, left(n.content, 500), null::uuid, null::uuid, null::text, null::text, null::jsonb
        from contact_notes n where n.contact_id = ${contactId}`)}
      union all
      ${page(sql`select e.id::text, case when e.kind = 'created' then 'ticket_created' else 'ticket_status' end, e.created_at, t.conversation_id, null::text, null::text, e.actor_user_id,
          t.subject, t.id, null::uuid, e.from_value, e.to_value, null::jsonb
        from ticket_events e join tickets t on t.id = e.ticket_id where t.contact_id = ${contactId} and e.kind in ('created', 'status_changed')`)}
      union all
      ${page(sql`select x.id::text, 'stage_change', x.created_at, null::uuid, null::text, null::text, x.actor_user_id, l.title, null::uuid, l.id,
          (select name from pipeline_stages where id = x.from_stage_id), (select name from pipeline_stages where id = x.to_stage_id), null::jsonb
        from lead_stage_changes x join leads l on l.id = x.lead_id where l.contact_id = ${contactId}`)}
    ) entries order by at desc, id desc limit ${opts.limit + 1}`)) as unknown as Array<Record<string, unknown>>;
  const more = rows.length > opts.limit;
  const entries = rows.slice(0, opts.limit).map(
    (r): TimelineEntry & { cursorAt: string } => ({
      id: String(r.id),
      kind: r.kind as TimelineEntry['kind'],
      at: isoOf(String(r.at)),
      cursorAt: String(r.at),
      conversationId: (r.conversation_id as string | null) ?? null,
      channel: (r.channel as string | null) ?? null,
      authorRole: (r.author_role as string | null) ?? null,
      actorUserId: (r.actor_user_id as string | null) ?? null,
      text: (r.text as string | null) ?? null,
      ticketId: (r.ticket_id as string | null) ?? null,
      leadId: (r.lead_id as string | null) ?? null,
      from: (r.from as string | null) ?? null,
      to: (r.to as string | null) ?? null,
      detected: r.detected && Object.keys(r.detected as object).length ? (r.detected as Record<string, unknown>) : null,
    }),
  );
  const last = entries[entries.length - 1];
  return { entries: entries.map(({ cursorAt: _, ...e }) => e), nextCursor: more && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null };
}
