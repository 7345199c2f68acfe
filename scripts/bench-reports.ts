/**
 * `npm run bench:reports`: the reports page over a busy workspace, 100,000 messages by default
 * (a third of as many conversations, spread over weeks), with tickets and a pipeline of deals:
 * p50/p95 of the API call over the last 30 and 90 days, and of the page's server render (its
 * loader's API call and the React render of every chart). Starts its own servers, API, worker and
 * web app; the last line is one JSON object.
 *
 *   npm run bench:reports -- --messages 100000 --renders 50
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startWebApp } from '../web/e2e/web-app-server.js';
import { seedInbox } from './bench-web-seed.js';
import { withPlatform } from './stack/platform-processes.js';
import { signIn } from './stack/web-sign-in.js';
import { percentile } from './stats.js';

const { values: opts } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, renders: { type: 'string', default: '50' } } });
const MESSAGES = Number(opts.messages);
const RENDERS = Number(opts.renders);
const GOAL_MS = 1000;

const round = (x: number) => Math.round(x * 10) / 10;
const summary = (xs: number[]) => ({ n: xs.length, p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });
const log = (msg: string) => console.error(`[bench-reports] ${msg}`);

const figures = await withPlatform('bench-reports', { dbMax: 2 }, async ({ db, call, baseUrl }) => {
  const password = 'a long password';
  const email = `bench-reports-${randomUUID().slice(0, 8)}@example.com`;
  const ws = await call('POST', '/v1/auth/signup', { workspaceName: 'Bench reports', name: 'Bench Lead', email, password });
  const tenantId = ws.tenant.id as string;
  const started = performance.now();
  // Three messages per conversation.
  await seedInbox(db.sql, { tenantId, userId: ws.user.id, conversations: Math.ceil(MESSAGES / 3) });
  const stages = ['New', 'Qualified', 'Proposal', 'Won', 'Lost'];
  const pipeline = await call('POST', '/v1/pipelines', { name: 'Sales', stages: stages.map((name) => ({ name, kind: name === 'Won' ? 'won' : name === 'Lost' ? 'lost' : 'open' })) }, ws.accessToken);
  const stageIds: string[] = pipeline.pipeline.stages.map((s: { id: string }) => s.id);
  await db.sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    // A ticket for every tenth conversation, some breached; a deal for every twentieth, its last move recorded.
    await tx`
      insert into tickets (tenant_id, conversation_id, contact_id, subject, status, priority, source, created_at, first_responded_at, resolved_at, first_response_breached_at)
      select ${tenantId}, c.id, c.contact_id, 'Ticket', (case when n % 3 = 0 then 'open' else 'resolved' end)::ticket_status,
        (array['urgent', 'high', 'normal', 'low'])[1 + n % 4]::ticket_priority, 'manual', c.created_at,
        c.created_at + make_interval(mins => (5 + n % 90)::int), case when n % 3 <> 0 then c.created_at + make_interval(hours => (1 + n % 48)::int) end,
        case when n % 7 = 0 then c.created_at + interval '1 hour' end
      from (select c.*, row_number() over () as n from conversations c where c.tenant_id = ${tenantId}) c where n % 10 = 0`;
    await tx`
      with made as (
        insert into leads (tenant_id, pipeline_id, stage_id, contact_id, title, value, created_at)
        select ${tenantId}, ${pipeline.pipeline.id}, (${stageIds}::uuid[])[1 + n % 5], c.contact_id, 'Deal', 100 + n % 5000, c.created_at
        from (select c.*, row_number() over () as n from conversations c where c.tenant_id = ${tenantId}) c where n % 20 = 0
        returning id, stage_id, created_at)
      insert into lead_stage_changes (tenant_id, lead_id, from_stage_id, to_stage_id, created_at)
      select ${tenantId}, id, ${stageIds[0]}, stage_id, created_at + interval '2 days' from made`;
  });
  await db.sql`analyze conversations, messages, tickets, leads, lead_stage_changes`;
  const [counts] = await db.sql<{ messages: number; conversations: number; tickets: number; leads: number }[]>`
    select (select count(*)::int from messages where tenant_id = ${tenantId}) as messages,
      (select count(*)::int from conversations where tenant_id = ${tenantId}) as conversations,
      (select count(*)::int from tickets where tenant_id = ${tenantId}) as tickets,
      (select count(*)::int from leads where tenant_id = ${tenantId}) as leads`;
  log(`seeded ${JSON.stringify(counts)} in ${Math.round(performance.now() - started)} ms`);

  const today = new Date().toISOString().slice(0, 10);
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const timed = async (fn: () => Promise<void>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const apiCall = (from: string) => async () => {
    const r = await call('GET', `/v1/reports?from=${from}&to=${today}`, undefined, ws.accessToken);
    if (!r.conversationsByChannel.length) throw new Error('the report found no conversations');
  };
  const measure = async (fn: () => Promise<void>) => {
    for (let i = 0; i < 5; i++) await fn();
    const xs: number[] = [];
    for (let i = 0; i < RENDERS; i++) xs.push(await timed(fn));
    return summary(xs);
  };
  const api30 = await measure(apiCall(daysAgo(29)));
  const api90 = await measure(apiCall(daysAgo(89)));

  const web = await startWebApp({ apiUrl: baseUrl });
  try {
    const cookie = await signIn(web.url, email, password);
    const page = await measure(async () => {
      const res = await fetch(`${web.url}/reports?from=${daysAgo(89)}&to=${today}`, { headers: { cookie } });
      const html = await res.text();
      if (res.status !== 200 || !html.includes('chart-channels')) throw new Error(`GET /reports → ${res.status}: ${html.slice(0, 300)}`);
    });
    return { bench: 'reports', seeded: counts, api_30_days_ms: api30, api_90_days_ms: api90, page_render_90_days_ms: page, goal_ms: GOAL_MS, met: page.p95 < GOAL_MS && api90.p95 < GOAL_MS };
  } finally {
    await web.stop();
  }
});
console.log(JSON.stringify(figures));
