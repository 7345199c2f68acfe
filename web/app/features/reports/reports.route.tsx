import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { bucketsOf, duration, seriesOf } from './buckets';
import { HorizontalBars, OUTCOME_COLORS, StackedBars } from './charts';
import { reportsApi } from './reports-api.server';

export const meta: MetaFunction = () => [{ title: 'Reports · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = { from: url.searchParams.get('from') || undefined, to: url.searchParams.get('to') || undefined, interval: url.searchParams.get('interval') || undefined };
  const authed = await withAuth(request, (token) => reportsApi.get(token, query));
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data(authed.result.value, { headers: authed.headers });
}

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);
const money = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];

export default function Reports() {
  const r = useLoaderData<typeof loader>();
  const { from, to, interval, timeZone } = r.window;
  const buckets = bucketsOf(from, to, interval);
  const channels = seriesOf(r.conversationsByChannel, buckets, (x) => x.channel, (x) => x.count);
  const outcomes = seriesOf(r.leadOutcomes, buckets, (x) => x.kind, (x) => x.leads).map((s) => ({ ...s, color: OUTCOME_COLORS[s.name] }));
  const pipelines = [...new Set(r.pipelineValue.map((s) => s.pipelineId))];
  const breaches = PRIORITIES.map((priority) => r.slaBreaches.find((b) => b.priority === priority) ?? { priority, tickets: 0, firstResponse: 0, resolution: 0 });
  return (
    <main className="reports-page" data-testid="reports-page">
      <header className="pipelines-header">
        <h2>Reports</h2>
        <Form method="get" className="inline-form" data-testid="report-window">
          <label>
            From <input type="date" name="from" defaultValue={from} />
          </label>
          <label>
            To <input type="date" name="to" defaultValue={to} />
          </label>
          <select name="interval" defaultValue={interval} aria-label="Interval">
            <option value="day">By day</option>
            <option value="week">By week</option>
          </select>
          <button type="submit">Show</button>
        </Form>
        <span className="muted">Times in {timeZone}</span>
      </header>

      <section className="report-tiles">
        <div className="tile" data-testid="ai-share">
          <strong>{percent(r.aiResolution.share)}</strong>
          <span>resolved by the AI alone</span>
          <small className="muted">
            {r.aiResolution.resolvedByAi} of {r.aiResolution.resolved} resolved · {r.aiResolution.conversations} started
          </small>
        </div>
        <div className="tile" data-testid="first-response">
          <strong>{duration(r.firstResponse.medianSeconds)}</strong>
          <span>median first response</span>
          <small className="muted">by a person: {duration(r.firstResponse.humanMedianSeconds)}</small>
        </div>
        <div className="tile" data-testid="ticket-resolution">
          <strong>{duration(r.tickets.resolutionMedianSeconds)}</strong>
          <span>median ticket resolution</span>
          <small className="muted">first response {duration(r.tickets.firstResponseMedianSeconds)} · {r.tickets.resolved} resolved</small>
        </div>
        <div className="tile" data-testid="csat">
          <strong>{percent(r.csat.satisfiedShare)}</strong>
          <span>satisfied customers (CSAT)</span>
          <small className="muted">
            average {r.csat.average === null ? '–' : r.csat.average.toFixed(1)} / 5 · {r.csat.answers} of {r.csat.asked} surveys answered
          </small>
        </div>
      </section>

      <section className="report-grid">
        <article className="report-card">
          <h3>Conversations by channel</h3>
          {channels.length ? <StackedBars labels={buckets} series={channels} testId="chart-channels" /> : <p className="muted">No conversations in this window.</p>}
        </article>
        <article className="report-card">
          <h3>SLA breaches by priority</h3>
          <HorizontalBars testId="chart-breaches" rows={breaches.map((b) => ({ label: `${b.priority} (${b.tickets})`, value: b.firstResponse + b.resolution }))} />
          <small className="muted">First response and resolution targets missed, of tickets filed in the window.</small>
        </article>
        <article className="report-card">
          <h3>Leads won and lost</h3>
          {outcomes.length ? <StackedBars labels={buckets} series={outcomes} testId="chart-outcomes" /> : <p className="muted">No lead won or lost in this window.</p>}
        </article>
        {pipelines.map((id) => {
          const stages = r.pipelineValue.filter((s) => s.pipelineId === id);
          return (
            <article className="report-card" key={id}>
              <h3>{stages[0]!.pipeline}: value by stage</h3>
              <HorizontalBars
                testId="chart-pipeline"
                format={money}
                rows={[...new Set(stages.map((s) => s.stageId))].map((stageId) => {
                  const rows = stages.filter((s) => s.stageId === stageId);
                  const currencies = [...new Set(rows.flatMap((s) => (s.currency ? [s.currency] : [])))];
                  return { label: `${rows[0]!.stage}${currencies.length ? ` (${currencies.join('+')})` : ''}`, value: rows.reduce((sum, s) => sum + s.value, 0), color: OUTCOME_COLORS[rows[0]!.kind] };
                })}
              />
            </article>
          );
        })}
      </section>
    </main>
  );
}
