import type { Sql } from 'postgres';

const CHANNELS = ['widget', 'sms', 'email', 'whatsapp', 'telegram'];
const QUESTIONS = [
  'Where is my order? It was due on Monday.',
  'Can I exchange these boots for a larger size?',
  'Do you ship to Norway, and how long does it take?',
  'My jacket zip broke after two weeks.',
  'Is the Summit 38L pack carry-on size?',
];

/**
 * A busy workspace's history in a few set-based statements: `conversations` contacts, each with one
 * conversation (mostly open, some resolved or snoozed, a quarter owned by a human) and three
 * messages (question, AI answer, follow-up), spread over the last weeks. Seeded rows are history,
 * not news: live-event triggers are off for this transaction (session_replication_role), so the
 * API's live hub is not flooded with 40,000 events it would never have seen.
 */
export async function seedInbox(sql: Sql, opts: { tenantId: string; userId: string; conversations: number }) {
  const { tenantId, userId, conversations } = opts;
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      create temp table seed on commit drop as
      select g, gen_random_uuid() as contact_id, gen_random_uuid() as conversation_id,
             now() - make_interval(secs => g * 173) as at
      from generate_series(1, ${conversations}::int) g`;
    await tx`
      insert into contacts (id, tenant_id, name, email, phone, created_at, updated_at)
      select contact_id, ${tenantId}, 'Customer ' || g, 'customer' || g || '@example.com',
             '+4790' || lpad(g::text, 6, '0'), at, at
      from seed`;
    await tx`
      insert into conversations (id, tenant_id, contact_id, channel, status, owner, assignee_id, snoozed_until,
                                 labels, last_inbound_at, last_message_at, created_at, updated_at)
      select conversation_id, ${tenantId}, contact_id, (${CHANNELS}::text[])[1 + g % ${CHANNELS.length}],
             (case when g % 10 < 7 then 'open' when g % 10 < 9 then 'resolved' else 'snoozed' end)::conversation_status,
             (case when g % 4 = 0 then 'human' else 'ai' end)::conversation_owner,
             case when g % 4 = 0 then ${userId}::uuid end,
             case when g % 10 = 9 then now() + interval '1 day' end,
             case when g % 7 = 0 then array['vip'] else '{}'::text[] end,
             at + interval '2 minutes', at + interval '2 minutes', at, at + interval '2 minutes'
      from seed`;
    await tx`
      insert into messages (tenant_id, conversation_id, direction, author_role, channel, content, delivery_status, created_at, signaled_at)
      select ${tenantId}, s.conversation_id, m.direction::message_direction, m.role::author_role,
             (${CHANNELS}::text[])[1 + s.g % ${CHANNELS.length}],
             case m.k when 1 then (${QUESTIONS}::text[])[1 + s.g % ${QUESTIONS.length}] || ' (#' || s.g || ')'
                      when 2 then 'Thanks for asking! Let me look into that for you.'
                      else 'Thank you, that helps.' end,
             m.status::delivery_status, s.at + m.k * interval '40 seconds',
             -- Already delivered to their (long finished) workflows: the signal sweeper must leave them be.
             s.at + m.k * interval '40 seconds'
      from seed s
      cross join (values (1, 'inbound', 'customer', 'received'), (2, 'outbound', 'ai', 'sent'), (3, 'inbound', 'customer', 'received'))
        as m(k, direction, role, status)`;
  });
  await sql`analyze contacts, conversations, messages`;
}
