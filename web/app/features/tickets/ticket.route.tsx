import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { formString, runAction, type ActionOutcome } from '../settings/action-result.server';
import { SlaBadge } from './sla-badge';
import { ticketsApi } from './tickets-api.server';

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.ticket.subject ?? 'Ticket'} · Tickets · Switchboard` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const authed = await withAuth(request, async (token) => {
    const [detail, { macros }] = await Promise.all([ticketsApi.get(token, params.ticketId!), ticketsApi.macros(token)]);
    return { ...detail, macros };
  });
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data({ ...authed.result.value, now: Date.now() }, { headers: authed.headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  if (intent === 'macro') return runAction(request, intent, (token) => ticketsApi.applyMacro(token, params.ticketId!, formString(form, 'macroId')), 'Macro applied.');
  return runAction(request, 'move', (token) => ticketsApi.move(token, params.ticketId!, formString(form, 'status')));
}

const LABEL: Record<string, string> = { open: 'Open', pending: 'Wait on customer', resolved: 'Resolve', closed: 'Close' };

export default function TicketPage() {
  const { ticket, events, transitions, macros, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionOutcome | undefined;
  const busy = useNavigation().state !== 'idle';
  return (
    <main className="ticket-page" data-testid="ticket-page" data-status={ticket.status}>
      <p>
        <Link to="/tickets">Tickets</Link>
      </p>
      <h2 data-testid="ticket-subject">{ticket.subject}</h2>
      <p>
        <span className={`badge status-${ticket.status}`} data-testid="ticket-status">
          {ticket.status}
        </span>{' '}
        <span className="badge">{ticket.priority}</span> <SlaBadge ticket={ticket} now={now} />{' '}
        {ticket.tags.map((t) => (
          <span key={t} className="badge">
            #{t}
          </span>
        ))}
      </p>
      {ticket.description ? <p>{ticket.description}</p> : null}
      {ticket.csat.requestedAt ? (
        <p className="muted" data-testid="ticket-csat">
          {ticket.csat.score === null ? 'Satisfaction survey sent, no answer yet.' : `The customer rated it ${ticket.csat.score} / 5.`}
        </p>
      ) : null}
      <div className="inline-form" data-testid="transitions">
        {transitions.length === 0 ? <span className="muted">Closed tickets are final.</span> : null}
        {transitions.map((s) => (
          <Form method="post" key={s}>
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="status" value={s} />
            <button type="submit" disabled={busy} data-testid={`move-${s}`}>
              {LABEL[s] ?? s}
            </button>
          </Form>
        ))}
      </div>
      {macros.length && transitions.length ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="macro" />
          <select name="macroId" data-testid="macro-select" aria-label="Macro">
            {macros.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy} data-testid="apply-macro">
            Apply macro
          </button>
        </Form>
      ) : null}
      {result && !result.ok ? (
        <p className="field-error" role="alert" data-testid="ticket-error">
          {result.error}
        </p>
      ) : null}
      <h3>History</h3>
      <ol className="ticket-events" data-testid="ticket-events">
        {events.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <span className="muted">{new Date(e.at).toLocaleString()}</span> {e.kind.replace(/_/g, ' ')}
            {e.from || e.to ? ` ${e.from ?? '—'} → ${e.to ?? '—'}` : ''}
            {e.kind === 'csat' ? ` ${e.to} / 5` : e.data?.by === 'customer' ? ' (the customer wrote again)' : e.data?.auto ? ' (automatically)' : ''}
          </li>
        ))}
      </ol>
    </main>
  );
}
