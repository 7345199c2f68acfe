import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useFetcher, useLoaderData } from '@remix-run/react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { invalid, runAction } from './action-result.server';
import { FieldError, FormStatus, ReadOnlyNote, SaveButton, type Outcome } from './form-bits';
import { can } from './permissions';
import { workspaceApi } from './settings-api.server';
import { DEFAULT_HOURS, WEEKDAYS, minuteToTime, workspacePatch } from './workspace-form';

export const meta: MetaFunction = () => [{ title: 'Workspace · Settings · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const workspace = unwrap(await withAuth(request, (token) => workspaceApi.get(token)));
  // Every zone the server knows, for the picker's suggestions; the API judges what is saved.
  return { workspace, zones: Intl.supportedValuesOf('timeZone') };
}

export async function action({ request }: ActionFunctionArgs) {
  const patch = workspacePatch(await request.formData());
  if ('field' in patch) return invalid('save', patch.field, patch.message);
  return runAction(request, 'save', (token) => workspaceApi.update(token, patch.body), 'Workspace saved.');
}

export default function WorkspaceSettingsPage() {
  const { workspace, zones } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayManage = can(viewer.role, 'workspace:manage');
  const fetcher = useFetcher<Outcome>();
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const hours = workspace.businessHours ?? DEFAULT_HOURS;

  return (
    <div className="settings-page" data-testid="settings-workspace">
      <header className="settings-header">
        <h2>Workspace</h2>
        <p className="muted">Your business's clock, when conversations and tickets close by themselves, and the satisfaction survey.</p>
      </header>
      {mayManage ? null : <ReadOnlyNote role={viewer.role} what="the workspace" />}
      <fetcher.Form method="post" className="settings-card stack-form" data-testid="workspace-form">
        <label className="field">
          <span>Name</span>
          <input name="name" defaultValue={workspace.name} maxLength={120} required disabled={!mayManage} data-testid="workspace-name" />
          <FieldError outcome={outcome} name="name" />
        </label>
        <h3>Business hours</h3>
        <p className="muted small">Ticket SLAs count only these hours, and automation delays can wait for them.</p>
        <label className="field">
          <span>Time zone</span>
          <input name="timezone" defaultValue={workspace.timezone} list="workspace-zones" required disabled={!mayManage} data-testid="workspace-timezone" />
          <datalist id="workspace-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <FieldError outcome={outcome} name="timezone" testId="workspace-timezone-error" />
        </label>
        <fieldset className="field" disabled={!mayManage}>
          <legend>Open on</legend>
          <span className="copy-row">
            {WEEKDAYS.map((label, day) => (
              <label key={label} className="check">
                <input type="checkbox" name="day" value={day} defaultChecked={hours.days.includes(day)} data-testid={`workspace-day-${day}`} />
                {label}
              </label>
            ))}
          </span>
          <FieldError outcome={outcome} name="businessHours.days" />
        </fieldset>
        <span className="copy-row">
          <label className="field">
            <span>Opens</span>
            <input type="time" name="open" defaultValue={minuteToTime(hours.openMinute)} required disabled={!mayManage} data-testid="workspace-open" />
            <FieldError outcome={outcome} name="businessHours.openMinute" />
          </label>
          <label className="field">
            <span>Closes</span>
            <input type="time" name="close" defaultValue={minuteToTime(hours.closeMinute % 1440)} required disabled={!mayManage} data-testid="workspace-close" />
            <FieldError outcome={outcome} name="businessHours.closeMinute" testId="workspace-close-error" />
          </label>
        </span>
        <h3>Closing by themselves</h3>
        <label className="field">
          <span>Close a conversation after this many quiet minutes</span>
          <input type="number" name="idleAutoCloseMinutes" min={5} defaultValue={workspace.idleAutoCloseMinutes} required disabled={!mayManage} data-testid="workspace-idle" />
          <FieldError outcome={outcome} name="idleAutoCloseMinutes" />
        </label>
        <label className="field">
          <span>Close a resolved ticket after this many days</span>
          <input type="number" name="ticketAutoCloseDays" min={1} max={365} defaultValue={workspace.ticketAutoCloseDays} required disabled={!mayManage} data-testid="workspace-ticket-days" />
          <FieldError outcome={outcome} name="ticketAutoCloseDays" />
        </label>
        <h3>Customer satisfaction</h3>
        <label className="check">
          <input type="checkbox" name="csatEnabled" defaultChecked={workspace.csatEnabled} disabled={!mayManage} data-testid="workspace-csat" />
          When a teammate resolves a ticket, ask the customer to rate it from 1 to 5 on its conversation
        </label>
        {mayManage ? (
          <div className="button-row">
            <SaveButton busy={fetcher.state !== 'idle'} testId="workspace-save" />
          </div>
        ) : null}
        <FormStatus outcome={outcome} testId="workspace-status" />
      </fetcher.Form>
    </div>
  );
}
