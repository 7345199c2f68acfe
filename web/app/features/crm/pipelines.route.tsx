import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useSearchParams } from '@remix-run/react';
import { withAuth } from '../auth/auth.server';
import { runAction, invalid, formString } from '../settings/action-result.server';
import { usersApi } from '../settings/settings-api.server';
import { useShell } from '../shell/use-viewer';
import { crmApi, type Stage } from './crm-api.server';
import { KanbanBoard } from './kanban-board';

export const meta: MetaFunction = () => [{ title: 'Pipelines · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filters = { ownerId: url.searchParams.get('owner') || undefined, tag: url.searchParams.get('tag') || undefined };
  const authed = await withAuth(request, async (token) => {
    const [{ pipelines }, { users }] = await Promise.all([crmApi.pipelines(token), usersApi.list(token)]);
    const selected = pipelines.find((p) => p.id === url.searchParams.get('pipeline')) ?? pipelines[0];
    const board = selected ? await crmApi.board(token, selected.id, filters) : null;
    return { pipelines, users: users.map((u) => ({ id: u.id, name: u.name || u.email })), board };
  });
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  return data(authed.result.value, { headers: authed.headers });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.headers.get('content-type')?.includes('application/json')) {
    const body = (await request.json()) as { intent: string; leadId: string; stageId: string; position: number };
    if (body.intent !== 'move') return invalid(body.intent, 'intent', 'Unknown action');
    return runAction(request, 'move', (token) => crmApi.move(token, body.leadId, body.stageId, body.position));
  }
  const form = await request.formData();
  const name = formString(form, 'name');
  const stages = formString(form, 'stages')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ({ name: s, kind: (/^won$/i.test(s) ? 'won' : /^lost$/i.test(s) ? 'lost' : 'open') as Stage['kind'] }));
  if (!name) return invalid('create-pipeline', 'name', 'Give the pipeline a name.');
  return runAction(request, 'create-pipeline', (token) => crmApi.createPipeline(token, { name, stages }), `Created ${name}.`);
}

export default function Pipelines() {
  const { pipelines, users, board } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const [params, setParams] = useSearchParams();
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const ownerNames = Object.fromEntries(users.map((u) => [u.id, u.name]));
  const currency = board?.stages.flatMap((s) => s.leads)[0]?.currency ?? 'EUR';
  return (
    <main className="pipelines-page" data-testid="pipelines-page">
      <header className="pipelines-header">
        <h2>Pipelines</h2>
        {pipelines.length ? (
          <select value={board?.pipeline.id ?? ''} onChange={(e) => setParam('pipeline', e.target.value)} aria-label="Pipeline" data-testid="pipeline-select">
            {pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : null}
        <select value={params.get('owner') ?? ''} onChange={(e) => setParam('owner', e.target.value)} aria-label="Owner" data-testid="owner-filter">
          <option value="">Every owner</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <input defaultValue={params.get('tag') ?? ''} placeholder="Tag" aria-label="Tag" onBlur={(e) => setParam('tag', e.target.value.trim())} data-testid="tag-filter" />
      </header>
      {board ? (
        <KanbanBoard columns={board.stages} currency={currency} ownerNames={ownerNames} />
      ) : (
        <p className="muted">No pipelines yet.</p>
      )}
      {['owner', 'admin', 'manager'].includes(viewer.role) ? (
        <Form method="post" className="inline-form new-pipeline">
          <input name="name" placeholder="New pipeline name" />
          <input name="stages" placeholder="Stages, in order: New, Qualified, Won, Lost" size={40} />
          <button type="submit">Create pipeline</button>
        </Form>
      ) : null}
    </main>
  );
}
