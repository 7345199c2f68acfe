import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useFetcher, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, invalid, runAction } from './action-result.server';
import { FieldError, FormStatus, ReadOnlyNote, SaveButton, type Outcome } from './form-bits';
import { can } from './permissions';
import { cannedApi, type CannedResponse } from './settings-api.server';

export const meta: MetaFunction = () => [{ title: 'Canned responses · Settings · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  return unwrap(await withAuth(request, (token) => cannedApi.list(token)));
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  const id = formString(form, 'id');
  // Agents type `/shortcut`; a leading slash typed here too is not part of the shortcut.
  const shortcut = formString(form, 'shortcut').replace(/^\/+/, '');
  const content = formString(form, 'content');
  if (intent === 'delete') return runAction(request, intent, (token) => cannedApi.remove(token, id), 'Deleted.');
  if (intent !== 'create' && intent !== 'update') return invalid(intent, 'intent', `Unknown action "${intent}".`);
  if (!shortcut) return invalid(intent, 'shortcut', 'Give a shortcut, like refund.');
  if (!content) return invalid(intent, 'content', 'Write the reply it inserts.');
  return intent === 'create'
    ? runAction(request, intent, (token) => cannedApi.create(token, { shortcut, content }), `Saved /${shortcut}.`)
    : runAction(request, intent, (token) => cannedApi.update(token, id, { shortcut, content }), `Saved /${shortcut}.`);
}

export default function CannedSettings() {
  const { cannedResponses } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayManage = can(viewer.role, 'canned:manage');
  return (
    <div className="settings-page" data-testid="settings-canned">
      <header className="settings-header">
        <h2>Canned responses</h2>
        <p className="muted">
          Saved replies agents insert by typing <kbd>/shortcut</kbd> in the reply box.
        </p>
      </header>
      {mayManage ? <CannedForm /> : <ReadOnlyNote role={viewer.role} what="canned responses" />}
      <section className="settings-card" aria-labelledby="canned-heading">
        <h3 id="canned-heading">Saved replies ({cannedResponses.length})</h3>
        {cannedResponses.length === 0 ? <p className="muted">None yet.</p> : null}
        <ul className="canned-list">
          {cannedResponses.map((canned) => (
            <CannedRow key={canned.id} canned={canned} mayManage={mayManage} />
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Creates a reply, or edits `canned` when given. */
function CannedForm({ canned, onDone }: { canned?: CannedResponse; onDone?: () => void }) {
  const fetcher = useFetcher<Outcome>();
  const formRef = useRef<HTMLFormElement>(null);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const prefix = canned ? 'canned-edit' : 'canned';
  useEffect(() => {
    if (!outcome?.ok) return;
    formRef.current?.reset();
    onDone?.();
  }, [outcome, onDone]);

  return (
    <fetcher.Form method="post" ref={formRef} className={canned ? 'stack-form' : 'settings-card stack-form'} data-testid={`${prefix}-form`}>
      {canned ? null : <h3>New canned response</h3>}
      <input type="hidden" name="intent" value={canned ? 'update' : 'create'} />
      {canned ? <input type="hidden" name="id" value={canned.id} /> : null}
      <label className="field">
        <span>Shortcut</span>
        <span className="prefixed">
          <span aria-hidden="true">/</span>
          <input name="shortcut" required maxLength={32} defaultValue={canned?.shortcut} placeholder="refund" data-testid={`${prefix}-shortcut`} />
        </span>
        <FieldError outcome={outcome} name="shortcut" testId={`${prefix}-shortcut-error`} />
      </label>
      <label className="field">
        <span>Reply</span>
        <textarea name="content" required rows={3} maxLength={4096} defaultValue={canned?.content} data-testid={`${prefix}-content`} />
        <FieldError outcome={outcome} name="content" testId={`${prefix}-content-error`} />
      </label>
      <div className="button-row">
        <SaveButton busy={fetcher.state !== 'idle'} testId={`${prefix}-save`} />
        {onDone ? (
          <button type="button" className="button ghost" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </div>
      <FormStatus outcome={outcome} testId={`${prefix}-status`} />
    </fetcher.Form>
  );
}

function CannedRow({ canned, mayManage }: { canned: CannedResponse; mayManage: boolean }) {
  const [editing, setEditing] = useState(false);
  const remove = useFetcher<Outcome>();
  if (editing) {
    return (
      <li className="canned-row" data-testid="canned-row" data-shortcut={canned.shortcut}>
        <CannedForm canned={canned} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="canned-row" data-testid="canned-row" data-shortcut={canned.shortcut}>
      <code className="mono">/{canned.shortcut}</code>
      <p className="canned-content">{canned.content}</p>
      {mayManage ? (
        <remove.Form method="post" className="button-row">
          <input type="hidden" name="id" value={canned.id} />
          <button type="button" className="button" onClick={() => setEditing(true)} data-testid="canned-edit">
            Edit
          </button>
          <button type="submit" name="intent" value="delete" className="button danger" disabled={remove.state !== 'idle'} data-testid="canned-delete">
            Delete
          </button>
        </remove.Form>
      ) : null}
      <FormStatus outcome={remove.state === 'idle' && remove.data && !remove.data.ok ? remove.data : undefined} testId="canned-delete-error" />
    </li>
  );
}
