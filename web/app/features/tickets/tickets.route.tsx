import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { formString, invalid, runAction, type ActionOutcome } from '../settings/action-result.server';
import { SlaBadge } from './sla-badge';
import { ticketsApi } from './tickets-api.server';

export const meta: MetaFunction = () => [{ title: 'Tickets · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const authed = await withAuth(request, (token) => ticketsApi.list(token, { status: url.searchParams.get('status') || undefined, priority: url.searchParams.get('priority') || undefined }));
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data({ ...authed.result.value, now: Date.now() }, { headers: authed.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const subject = formString(form, 'subject');
  if (!subject) return invalid('create', 'subject', 'Give the ticket a subject.');
  const outcome = await runAction(request, 'create', (token) => ticketsApi.create(token, { subject, priority: formString(form, 'priority') || 'normal', description: formString(form, 'description') }));
  const body = outcome.data as ActionOutcome<{ ticket: { id: string } }>;
  if (body.ok) throw redirect(`/tickets/${body.value.ticket.id}`, { headers: outcome.init?.headers });
  return outcome;
}

export default function Tickets() {
  const { tickets, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionOutcome | undefined;
  const [params, setParams] = useSearchParams();
  const filter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <main className="tickets-page" data-testid="tickets-page">
      <header className="pipelines-header">
        <h2>Tickets</h2>
        <select value={params.get('status') ?? ''} onChange={(e) => filter('status', e.target.value)} aria-label="Status" data-testid="status-filter">
          <option value="">Every status</option>
          {['new', 'open', 'pending', 'resolved', 'closed'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select value={params.get('priority') ?? ''} onChange={(e) => filter('priority', e.target.value)} aria-label="Priority">
          <option value="">Every priority</option>
          {['urgent', 'high', 'normal', 'low'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </header>
      <Form method="post" className="inline-form" data-testid="new-ticket">
        <input name="subject" placeholder="Subject" data-testid="new-ticket-subject" />
        <select name="priority" defaultValue="normal" data-testid="new-ticket-priority">
          {['urgent', 'high', 'normal', 'low'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <button type="submit" data-testid="create-ticket">
          New ticket
        </button>
        {result && !result.ok ? <span className="field-error">{result.error}</span> : null}
      </Form>
      <table className="automation-table">
        <thead>
          <tr>
            <th>Subject</th>
            <th>Status</th>
            <th>Priority</th>
            <th>SLA</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((t) => (
            <tr key={t.id} data-testid="ticket-row" data-ticket-id={t.id}>
              <td>
                <Link to={`/tickets/${t.id}`}>{t.subject}</Link>
              </td>
              <td>{t.status}</td>
              <td>{t.priority}</td>
              <td>
                <SlaBadge ticket={t} now={now} />
              </td>
              <td className="muted">{new Date(t.createdAt).toLocaleString()}</td>
            </tr>
          ))}
          {tickets.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No tickets.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </main>
  );
}
