import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { withAuth } from '../auth/auth.server';
import { runAction, type ActionOutcome } from '../settings/action-result.server';
import { contactsApi, type Preview } from './contacts-api.server';

export const meta: MetaFunction = () => [{ title: 'Import contacts · Switchboard' }];

const TARGETS = ['name', 'email', 'phone', 'tags'] as const;
/** A first guess at each column's field, from its name. */
function guess(column: string): string {
  const c = column.toLowerCase();
  if (/e-?mail/.test(c)) return 'email';
  if (/phone|mobile|tel/.test(c)) return 'phone';
  if (/^(full )?name$|^contact$/.test(c)) return 'name';
  if (/tags?|labels?/.test(c)) return 'tags';
  return `attributes.${c.replace(/[^a-z0-9_]+/g, '_').replace(/^(\d)/, '_$1').slice(0, 60) || 'column'}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const importId = new URL(request.url).searchParams.get('import');
  if (!importId) return data({ imp: null });
  const authed = await withAuth(request, (token) => contactsApi.get(token, importId));
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data({ imp: authed.result.value.import }, { headers: authed.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = String(form.get('intent'));
  if (intent === 'upload') {
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return data<ActionOutcome>({ ok: false, intent, error: 'Choose a CSV file.', fields: { file: 'required' } }, { status: 400 });
    const outcome = await runAction(request, intent, async (token) => contactsApi.upload(token, await file.text()));
    const body = outcome.data as ActionOutcome<{ import: { id: string } }>;
    if (body.ok) throw redirect(`/contacts/import?import=${body.value.import.id}`, { headers: outcome.init?.headers });
    return outcome;
  }
  const importId = String(form.get('importId'));
  const mapping: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (key.startsWith('map:') && value !== 'skip') mapping[key.slice(4)] = String(value);
  if (intent === 'preview') return runAction(request, intent, (token) => contactsApi.preview(token, importId, mapping));
  return runAction(request, 'start', (token) => contactsApi.start(token, importId, mapping));
}

/** The import wizard: upload, map the columns (with a dry run), then watch it run. */
export default function ContactImport() {
  const { imp } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionOutcome<Preview> | undefined;
  const busy = useNavigation().state !== 'idle';
  const revalidator = useRevalidator();
  const running = imp?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 500);
    return () => clearInterval(t);
  }, [running, revalidator]);

  if (!imp) {
    return (
      <main className="tickets-page" data-testid="import-page">
        <h2>Import contacts</h2>
        <Form method="post" encType="multipart/form-data" className="inline-form">
          <input type="hidden" name="intent" value="upload" />
          <input type="file" name="file" accept=".csv,text/csv" data-testid="import-file" />
          <button type="submit" disabled={busy} data-testid="import-upload">
            Upload
          </button>
        </Form>
        {result && !result.ok ? <p className="field-error">{result.error}</p> : null}
      </main>
    );
  }
  const percent = imp.rowsTotal ? Math.min(100, Math.round((imp.rowsDone / imp.rowsTotal) * 100)) : 100;
  return (
    <main className="tickets-page" data-testid="import-page" data-status={imp.status}>
      <h2>Import contacts</h2>
      {imp.status === 'uploaded' ? (
        <Form method="post" className="import-mapping" data-testid="import-mapping">
          <input type="hidden" name="importId" value={imp.id} />
          <p className="muted">About {imp.rowsTotal} rows. Match each column to a contact field; rows with the same email or phone as a contact update it.</p>
          <table className="automation-table">
            <tbody>
              {imp.columns.map((col) => (
                <tr key={col}>
                  <td>{col}</td>
                  <td>
                    <select name={`map:${col}`} defaultValue={guess(col)} data-testid={`map-${col}`}>
                      <option value="skip">Skip</option>
                      {TARGETS.map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                      <option value={guess(col).startsWith('attributes.') ? guess(col) : `attributes.${col.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`}>custom attribute</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" name="intent" value="preview" disabled={busy} data-testid="import-preview">
            Dry run
          </button>{' '}
          <button type="submit" name="intent" value="start" disabled={busy} data-testid="import-start">
            Import
          </button>
        </Form>
      ) : (
        <section data-testid="import-progress">
          <progress max={100} value={percent} data-testid="import-bar" />{' '}
          <span data-testid="import-counts">
            {imp.rowsDone} of {imp.rowsTotal} rows · {imp.created} created · {imp.updated} updated · {imp.failed} failed
          </span>
          {imp.status === 'done' && imp.failed > 0 ? (
            <p>
              <a href={`/contacts/imports/${imp.id}/errors.csv`} data-testid="import-errors">
                Download the rows that failed
              </a>
            </p>
          ) : null}
          {imp.status === 'done' ? <p data-testid="import-done">Done.</p> : null}
        </section>
      )}
      {result && result.ok && result.intent === 'preview' ? (
        <div data-testid="import-preview-result">
          <p>
            Of the first {result.value.rows} rows: {result.value.wouldCreate} new, {result.value.wouldUpdate} updates, {result.value.errors.length} with problems.
          </p>
          <ul>
            {result.value.errors.slice(0, 20).map((e) => (
              <li key={e.row}>
                Row {e.row}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result && !result.ok ? <p className="field-error">{result.error}</p> : null}
    </main>
  );
}
