import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { formString, invalid, runAction, type ActionOutcome } from '../settings/action-result.server';
import { contactsApi, filtersOf } from './contacts-api.server';

export const meta: MetaFunction = () => [{ title: 'Contacts · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = filtersOf(new URL(request.url).searchParams);
  const authed = await withAuth(request, async (token) => {
    const [list, { views }] = await Promise.all([contactsApi.list(token, filters), contactsApi.views(token)]);
    return { ...list, views };
  });
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data({ ...authed.result.value, filters }, { headers: authed.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (formString(form, 'intent') === 'delete-view') return runAction(request, 'delete-view', (token) => contactsApi.deleteView(token, formString(form, 'viewId')));
  const name = formString(form, 'name');
  if (!name) return invalid('save-view', 'name', 'Name the view first.');
  const filters = filtersOf(new URL(request.url).searchParams);
  return runAction(request, 'save-view', (token) => contactsApi.saveView(token, name, filters), `Saved "${name}".`);
}

export default function Contacts() {
  const { contacts, views, filters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionOutcome | undefined;
  const query = new URLSearchParams(filters as Record<string, string>).toString();
  const filtered = query !== '';
  return (
    <main className="tickets-page" data-testid="contacts-page">
      <header className="pipelines-header">
        <h2>Contacts</h2>
        <Form method="get" className="inline-form" data-testid="contact-filters">
          <input name="q" defaultValue={filters.q ?? ''} placeholder="Search name, email or phone" aria-label="Search contacts" data-testid="contact-search" />
          <input name="tag" defaultValue={filters.tag ?? ''} placeholder="Tag" aria-label="Tag" data-testid="filter-tag" />
          <input name="attribute" defaultValue={filters.attribute ?? ''} placeholder="plan:pro" aria-label="Attribute (key:value)" data-testid="filter-attribute" />
          <button type="submit" data-testid="apply-filters">
            Filter
          </button>
        </Form>
        <Link to="/contacts/import" data-testid="import-link">
          Import CSV
        </Link>
        <a href={`/contacts/export.csv${query ? `?${query}` : ''}`} data-testid="export-link">
          Export {filtered ? 'these' : 'all'} as CSV
        </a>
      </header>
      <nav className="saved-views" aria-label="Saved views" data-testid="saved-views">
        <Link to="/contacts">All contacts</Link>
        {views.map((v) => {
          const to = `/contacts?${new URLSearchParams(v.filters as Record<string, string>)}`;
          return (
            <span key={v.id} className="saved-view">
              <Link to={to} data-testid="saved-view">
                {v.name}
              </Link>
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="delete-view" />
                <input type="hidden" name="viewId" value={v.id} />
                <button type="submit" className="link-button" aria-label={`Delete the view ${v.name}`}>
                  ×
                </button>
              </Form>
            </span>
          );
        })}
        {filtered ? (
          <Form method="post" action={`/contacts?${query}`} className="inline-form" data-testid="save-view">
            <input name="name" placeholder="Name this view" aria-label="View name" data-testid="view-name" />
            <button type="submit" data-testid="save-view-button">
              Save view
            </button>
          </Form>
        ) : null}
        {result && !result.ok ? (
          <span className="field-error" role="alert" data-testid="view-error">
            {result.fields?.name ?? result.error}
          </span>
        ) : null}
      </nav>
      <table className="automation-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Phone</th>
            <th>Tags</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((c) => (
            <tr key={c.id} data-testid="contact-row">
              <td>
                <Link to={`/contacts/${c.id}`} data-testid="contact-link">
                  {c.name ?? c.email ?? c.phone ?? 'Unnamed'}
                </Link>
              </td>
              <td>{c.email}</td>
              <td>{c.phone}</td>
              <td>{c.tags.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
