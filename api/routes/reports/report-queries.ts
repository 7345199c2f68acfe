import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';

/** A report's window: whole days in the workspace's time zone, `to` included, bucketed by day or week. */
export interface ReportWindow {
  from: string;
  to: string;
  interval: 'day' | 'week';
  timeZone: string;
}

type Row = Record<string, unknown>;
const rows = async <T extends Row>(tx: Tx, query: ReturnType<typeof sql>) => (await tx.execute<T>(query)) as unknown as T[];
const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));

/**
 * The figures of the reports page, each one grouped query over the workspace's rows (row-level
 * security confines them to it), bounded by the window's indexes on (tenant, time).
 */
export async function reportFigures(tx: Tx, w: ReportWindow) {
  const start = sql`(${w.from}::date)::timestamp at time zone ${w.timeZone}`;
  const end = sql`(${w.to}::date + 1)::timestamp at time zone ${w.timeZone}`;
  const bucket = (column: ReturnType<typeof sql>) => sql`to_char(date_trunc(${w.interval}, ${column} at time zone ${w.timeZone}), 'YYYY-MM-DD')`;

  const byChannel = await rows<{ bucket: string; channel: string; count: number }>(
    tx,
    sql`select ${bucket(sql`created_at`)} as bucket, channel, count(*)::int as count
      from conversations where created_at >= ${start} and created_at < ${end} group by 1, 2 order by 1, 2`,
  );

  // Resolved without a human: closed out while the AI owned it, and no agent ever wrote in it.
  const [resolution] = await rows<{ started: number; resolved: number; resolved_by_ai: number }>(
    tx,
    sql`select count(*)::int as started,
        count(*) filter (where c.status in ('resolved', 'closed'))::int as resolved,
        count(*) filter (where c.status in ('resolved', 'closed') and c.owner = 'ai' and h.conversation_id is null)::int as resolved_by_ai
      from conversations c
      left join (select distinct conversation_id from messages where author_role = 'agent' and created_at >= ${start}) h on h.conversation_id = c.id
      where c.created_at >= ${start} and c.created_at < ${end}`,
  );

  // From a conversation's first customer message to its first answer, by anyone and by a person.
  const [firstResponse] = await rows<{ any_p50: number | null; human_p50: number | null; answered: number }>(
    tx,
    sql`with firsts as (
        select m.conversation_id,
          min(m.created_at) filter (where m.author_role = 'customer') as asked,
          min(m.created_at) filter (where m.direction = 'outbound' and m.author_role in ('ai', 'agent')) as answered,
          min(m.created_at) filter (where m.direction = 'outbound' and m.author_role = 'agent') as answered_by_human
        from messages m join conversations c on c.id = m.conversation_id
        where m.created_at >= ${start} and c.created_at >= ${start} and c.created_at < ${end}
        group by m.conversation_id)
      select percentile_cont(0.5) within group (order by extract(epoch from answered - asked)) filter (where answered > asked) as any_p50,
        percentile_cont(0.5) within group (order by extract(epoch from answered_by_human - asked)) filter (where answered_by_human > asked) as human_p50,
        count(*) filter (where answered > asked)::int as answered
      from firsts`,
  );

  const [tickets] = await rows<{ first_response_p50: number | null; resolution_p50: number | null; resolved: number; csat_asked: number; csat_answers: number; csat_average: number | null; csat_satisfied: number }>(
    tx,
    sql`select percentile_cont(0.5) within group (order by extract(epoch from first_responded_at - created_at)) filter (where first_responded_at is not null) as first_response_p50,
        percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)) filter (where resolved_at is not null) as resolution_p50,
        count(*) filter (where resolved_at is not null)::int as resolved,
        count(csat_requested_at)::int as csat_asked, count(csat_score)::int as csat_answers, avg(csat_score)::float8 as csat_average,
        count(*) filter (where csat_score >= 4)::int as csat_satisfied
      from tickets where created_at >= ${start} and created_at < ${end}`,
  );

  const breaches = await rows<{ priority: string; tickets: number; first_response: number; resolution: number }>(
    tx,
    sql`select priority::text, count(*)::int as tickets,
        count(first_response_breached_at)::int as first_response, count(resolution_breached_at)::int as resolution
      from tickets where created_at >= ${start} and created_at < ${end} group by 1`,
  );

  // Open deals as they stand now, whatever the window.
  const pipelineValue = await rows<{ pipeline_id: string; pipeline: string; stage_id: string; stage: string; kind: string; position: number; currency: string | null; leads: number; value: string | null }>(
    tx,
    sql`select p.id as pipeline_id, p.name as pipeline, s.id as stage_id, s.name as stage, s.kind::text as kind, s.position,
        l.currency, count(l.id)::int as leads, sum(l.value)::text as value
      from pipelines p join pipeline_stages s on s.pipeline_id = p.id left join leads l on l.stage_id = s.id
      group by p.id, p.name, p.position, s.id, s.name, s.kind, s.position, l.currency
      order by p.position, p.name, s.position`,
  );

  const outcomes = await rows<{ bucket: string; kind: 'won' | 'lost'; leads: number }>(
    tx,
    sql`select ${bucket(sql`c.created_at`)} as bucket, s.kind::text as kind, count(distinct c.lead_id)::int as leads
      from lead_stage_changes c join pipeline_stages s on s.id = c.to_stage_id
      where c.created_at >= ${start} and c.created_at < ${end} and s.kind in ('won', 'lost') group by 1, 2 order by 1, 2`,
  );

  return {
    conversationsByChannel: byChannel,
    aiResolution: {
      conversations: resolution.started,
      resolved: resolution.resolved,
      resolvedByAi: resolution.resolved_by_ai,
      share: resolution.resolved ? resolution.resolved_by_ai / resolution.resolved : null,
    },
    firstResponse: { medianSeconds: num(firstResponse.any_p50), humanMedianSeconds: num(firstResponse.human_p50), answered: firstResponse.answered },
    tickets: { firstResponseMedianSeconds: num(tickets.first_response_p50), resolutionMedianSeconds: num(tickets.resolution_p50), resolved: tickets.resolved },
    // The share of ratings of 4 or 5, as CSAT is usually quoted, with the average beside it.
    csat: { asked: tickets.csat_asked, answers: tickets.csat_answers, average: num(tickets.csat_average), satisfiedShare: tickets.csat_answers ? tickets.csat_satisfied / tickets.csat_answers : null },
    slaBreaches: breaches.map((b) => ({ priority: b.priority, tickets: b.tickets, firstResponse: b.first_response, resolution: b.resolution })),
    pipelineValue: pipelineValue.map((r) => ({ pipelineId: r.pipeline_id, pipeline: r.pipeline, stageId: r.stage_id, stage: r.stage, kind: r.kind, currency: r.currency, leads: r.leads, value: r.value === null ? 0 : Number(r.value) })),
    leadOutcomes: outcomes,
  };
}
