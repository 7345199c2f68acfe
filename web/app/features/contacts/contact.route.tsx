import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { formString, invalid, runAction, type ActionOutcome } from '../settings/action-result.server';
import { contactsApi, type TimelineEntry } from './contacts-api.server';

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.contact.name ?? d?.contact.email ?? 'Contact'} · Contacts · Switchboard` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const cursor = new URL(request.url).searchParams.get('before') || undefined;
  const authed = await withAuth(request, async (token) => {
    const [contact, timeline] = await Promise.all([contactsApi.contact(token, params.contactId!), contactsApi.timeline(token, params.contactId!, cursor)]);
    return { contact, timeline };
  });
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data(authed.result.value, { headers: authed.headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  if (intent === 'note') {
    const content = formString(form, 'content');
    if (!content) return invalid('note', 'content', 'Write the note first.');
    return runAction(request, intent, (token) => contactsApi.addNote(token, params.contactId!, content), 'Note added.');
  }
  const field = (name: string) => formString(form, name) || null;
  const tags = [...new Set(formString(form, 'tags').split(',').map((t) => t.trim()).filter(Boolean))];
  return runAction(request, 'edit', (token) => contactsApi.update(token, params.contactId!, { name: field('name'), email: field('email'), phone: field('phone'), tags }), 'Saved.');
}

const WHO: Record<string, string> = { customer: 'Customer', ai: 'AI', agent: 'Agent' };

/** One line of the timeline: what happened, in words. */
function describe(e: TimelineEntry): string {
  switch (e.kind) {
    case 'message':
      return `${WHO[e.authorRole ?? ''] ?? e.authorRole} on ${e.channel}`;
    case 'note':
      return e.conversationId ? 'Note on a conversation' : 'Note';
    case 'ticket_created':
      return `Ticket filed: ${e.text}`;
    case 'ticket_status':
      return `Ticket "${e.text}": ${e.from} → ${e.to}`;
    case 'stage_change':
      return e.from ? `Lead "${e.text}": ${e.from} → ${e.to}` : `Lead "${e.text}" created in ${e.to}`;
  }
}

export default function ContactPage() {
  const { contact, timeline } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionOutcome | undefined;
  const busy = useNavigation().state !== 'idle';
  const [params] = useSearchParams();
  const error = (intent: string, field: string) => (result && !result.ok && result.intent === intent ? (result.fields?.[field] ?? (field === 'form' ? result.error : undefined)) : undefined);
  return (
    <main className="ticket-page contact-page" data-testid="contact-page">
      <p>
        <Link to="/contacts">Contacts</Link>
      </p>
      <h2 data-testid="contact-name">{contact.name ?? contact.email ?? contact.phone ?? 'Unnamed contact'}</h2>
      <p className="muted">
        {contact.identities.map((i) => `${i.kind}: ${i.address}`).join(' · ')}
        {Object.keys(contact.attributes).length ? ` · ${Object.entries(contact.attributes).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}` : ''}
      </p>

      <Form method="post" className="contact-edit" data-testid="contact-edit" key={`${contact.name}|${contact.email}|${contact.phone}|${contact.tags.join()}`}>
        <input type="hidden" name="intent" value="edit" />
        <label>
          Name <input name="name" defaultValue={contact.name ?? ''} data-testid="edit-name" />
        </label>
        <label>
          Email <input name="email" type="email" defaultValue={contact.email ?? ''} data-testid="edit-email" />
          {error('edit', 'email') ? <span className="field-error">{error('edit', 'email')}</span> : null}
        </label>
        <label>
          Phone <input name="phone" defaultValue={contact.phone ?? ''} data-testid="edit-phone" />
          {error('edit', 'phone') ? <span className="field-error">{error('edit', 'phone')}</span> : null}
        </label>
        <label>
          Tags <input name="tags" defaultValue={contact.tags.join(', ')} placeholder="vip, newsletter" data-testid="edit-tags" />
        </label>
        <button type="submit" disabled={busy} data-testid="save-contact">
          Save
        </button>
        {result?.intent === 'edit' ? (
          <span className={result.ok ? 'muted' : 'field-error'} role="status" data-testid="edit-result">
            {result.ok ? result.notice : result.error}
          </span>
        ) : null}
      </Form>

      <h3>Timeline</h3>
      <Form method="post" className="inline-form" data-testid="add-note" key={result?.intent === 'note' && result.ok ? 'sent' : 'typing'}>
        <input type="hidden" name="intent" value="note" />
        <input name="content" placeholder="Add a note for your team" aria-label="Note" data-testid="note-content" />
        <button type="submit" disabled={busy} data-testid="add-note-button">
          Add note
        </button>
        {error('note', 'content') ? <span className="field-error">{error('note', 'content')}</span> : null}
      </Form>
      <ol className="timeline" data-testid="timeline">
        {timeline.entries.map((e) => (
          <li key={`${e.kind}:${e.id}`} data-kind={e.kind} data-role={e.authorRole ?? undefined}>
            <span className="muted">{new Date(e.at).toLocaleString()}</span> <strong>{describe(e)}</strong>
            {e.kind === 'message' || e.kind === 'note' ? <p className="timeline-text">{e.text}</p> : null}
            {e.detected ? (
              <p className="muted" data-testid="detected">
                AI detected: {Object.entries(e.detected).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k} ${String(v)}`).join(', ')}
              </p>
            ) : null}
            {e.conversationId ? <Link to={`/inbox/${e.conversationId}`}>Open conversation</Link> : null}
            {e.ticketId ? <Link to={`/tickets/${e.ticketId}`}>Open ticket</Link> : null}
          </li>
        ))}
      </ol>
      {timeline.entries.length === 0 ? <p className="muted">Nothing yet.</p> : null}
      <p>
        {params.get('before') ? <Link to="?">Newest</Link> : null}{' '}
        {timeline.nextCursor ? (
          <Link to={`?before=${encodeURIComponent(timeline.nextCursor)}`} data-testid="timeline-older">
            Older
          </Link>
        ) : null}
      </p>
    </main>
  );
}
