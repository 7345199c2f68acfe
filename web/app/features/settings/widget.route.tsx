import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useFetcher, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { env } from '~/env.server';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, runAction } from './action-result.server';
import { CopyButton, FieldError, FormStatus, ReadOnlyNote, SaveButton, type Outcome } from './form-bits';
import { can } from './permissions';
import { widgetApi } from './settings-api.server';

export const meta: MetaFunction = () => [{ title: 'Widget · Settings · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const widget = unwrap(await withAuth(request, (token) => widgetApi.get(token)));
  // The demo page shows whichever workspace's widget its key names: this one's.
  return { widget, demoUrl: `${env.PUBLIC_API_URL}/widget/demo?key=${encodeURIComponent(widget.widgetKey)}` };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return runAction(
    request,
    'save',
    (token) =>
      widgetApi.update(token, {
        color: formString(form, 'color'),
        greeting: formString(form, 'greeting'),
        preChatForm: form.get('preChatForm') === 'on',
      }),
    'Widget saved. Pages with the widget pick it up on their next load.',
  );
}

export default function WidgetSettingsPage() {
  const { widget, demoUrl } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayManage = can(viewer.role, 'workspace:manage');
  const fetcher = useFetcher<Outcome>();
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  // The preview follows the picker as it moves; the saved colour comes back from the loader.
  const [color, setColor] = useState(widget.color);

  return (
    <div className="settings-page" data-testid="settings-widget">
      <header className="settings-header">
        <h2>Widget</h2>
        <p className="muted">
          The chat launcher for your website. <a href={demoUrl} target="_blank" rel="noreferrer" data-testid="widget-demo-link">Open the demo page ↗</a>
        </p>
      </header>
      {mayManage ? null : <ReadOnlyNote role={viewer.role} what="the widget" />}
      <fetcher.Form method="post" className="settings-card stack-form" data-testid="widget-form">
        <h3>Appearance</h3>
        <div className="field">
          <span>Widget key</span>
          <span className="copy-row">
            <code className="mono" data-testid="widget-key">
              {widget.widgetKey}
            </code>
            <CopyButton text={widget.widgetKey} testId="widget-key-copy" />
          </span>
        </div>
        <label className="field">
          <span>Colour</span>
          <span className="copy-row">
            <input type="color" name="color" value={color} onChange={(e) => setColor(e.target.value)} disabled={!mayManage} data-testid="widget-color" />
            <code className="mono">{color}</code>
            <span className="widget-launcher-preview" style={{ background: color }} aria-hidden="true">
              💬
            </span>
          </span>
          <FieldError outcome={outcome} name="color" />
        </label>
        <label className="field">
          <span>Greeting</span>
          <input name="greeting" defaultValue={widget.greeting} maxLength={280} required disabled={!mayManage} data-testid="widget-greeting" />
          <FieldError outcome={outcome} name="greeting" />
        </label>
        <label className="check">
          <input type="checkbox" name="preChatForm" defaultChecked={widget.preChatForm} disabled={!mayManage} data-testid="widget-prechat" />
          Ask for name and email before the chat starts
        </label>
        {mayManage ? (
          <div className="button-row">
            <SaveButton busy={fetcher.state !== 'idle'} testId="widget-save" />
          </div>
        ) : null}
        <FormStatus outcome={outcome} testId="widget-status" />
      </fetcher.Form>
      <section className="settings-card" aria-labelledby="snippet-heading">
        <h3 id="snippet-heading">Embed snippet</h3>
        <p className="muted">Paste this before the closing &lt;/body&gt; tag of every page that should show the chat.</p>
        <pre className="snippet" data-testid="widget-snippet">
          {widget.embedSnippet}
        </pre>
        <CopyButton text={widget.embedSnippet} testId="widget-copy" label="Copy snippet" />
      </section>
    </div>
  );
}
