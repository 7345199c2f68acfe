import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { contactsApi } from './contacts-api.server';

export const meta: MetaFunction = () => [{ title: 'Contacts · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get('q') || undefined;
  const authed = await withAuth(request, (token) => contactsApi.list(token, q));
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data({ ...authed.result.value, q: q ?? '' }, { headers: authed.headers });
}

export default function Contacts() {
  const { contacts, q } = useLoaderData<typeof loader>();
  return (
    <main className="tickets-page" data-testid="contacts-page">
      <header className="pipelines-header">
        <h2>Contacts</h2>
        <Form method="get">
          <input name="q" defaultValue={q} placeholder="Search name, email or phone" aria-label="Search contacts" data-testid="contact-search" />
        </Form>
        <Link to="/contacts/import" data-testid="import-link">
          Import CSV
        </Link>
        <a href="/contacts/export.csv">Export CSV</a>
      </header>
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
