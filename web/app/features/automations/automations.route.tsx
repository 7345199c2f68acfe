import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, invalid, runAction, type ActionOutcome } from '../settings/action-result.server';
import { automationsApi } from './automations-api.server';
import { labelOf } from './node-catalog';
import { mayManageAutomations } from './automation-permissions';

export const meta: MetaFunction = () => [{ title: 'Automations · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  return unwrap(await withAuth(request, (token) => automationsApi.list(token)));
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const name = formString(form, 'name');
  if (!name) return invalid('create', 'name', 'Give the automation a name.');
  const outcome = await runAction(request, 'create', (token) => automationsApi.create(token, name));
  const body = outcome.data as ActionOutcome<{ automation: { id: string } }>;
  if (body.ok) throw redirect(`/automations/${body.value.automation.id}`, { headers: outcome.init?.headers });
  return outcome;
}

export default function Automations() {
  const { automations } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const result = useActionData<typeof action>() as ActionOutcome | undefined;
  const busy = useNavigation().state !== 'idle';
  return (
    <main className="automations-page" data-testid="automations-page">
      <header className="settings-header">
        <h2>Automations</h2>
        <p className="muted">Each run is a durable workflow: every step is recorded, delays are exact timers, and an event runs once.</p>
      </header>
      {mayManageAutomations(viewer.role) ? (
        <Form method="post" className="inline-form" data-testid="new-automation">
          <label>
            Name <input name="name" placeholder="Price enquiries on WhatsApp" data-testid="new-automation-name" />
          </label>
          <button type="submit" disabled={busy} data-testid="create-automation">
            New automation
          </button>
          {result && !result.ok ? <span className="field-error">{result.error}</span> : null}
        </Form>
      ) : null}
      <table className="automation-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Trigger</th>
            <th>Published</th>
            <th>Status</th>
            <th>Last run</th>
          </tr>
        </thead>
        <tbody>
          {automations.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No automations yet.
              </td>
            </tr>
          ) : null}
          {automations.map((a) => (
            <tr key={a.id} data-testid="automation-row">
              <td>
                <Link to={`/automations/${a.id}`}>{a.name}</Link>
              </td>
              <td>{a.triggerType ? labelOf(a.triggerType) : <span className="muted">—</span>}</td>
              <td>{a.activeVersion ? `v${a.activeVersion.version}` : <span className="muted">draft only</span>}</td>
              <td>{a.enabled ? 'on' : 'paused'}</td>
              <td>{a.lastRun ? <span className={`run-status status-${a.lastRun.status}`}>{a.lastRun.status}</span> : <span className="muted">never</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
