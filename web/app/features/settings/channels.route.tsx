import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, invalid, runAction } from './action-result.server';
import { ChannelCard } from './channel-card';
import { ChannelConnectForm } from './channel-connect-form';
import { kindOf, setPath } from './channel-kinds';
import { channelsApi } from './channels-api.server';
import { ReadOnlyNote } from './form-bits';
import { can } from './permissions';

export const meta: MetaFunction = () => [{ title: 'Channels · Settings · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  return unwrap(await withAuth(request, (token) => channelsApi.list(token)));
}

/** The form's `config.*` and `secrets.*` fields as the API's objects; empty fields are left out. */
function connectionInput(form: FormData, kind: string, sandbox: boolean) {
  const config: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const field of kindOf(kind)?.fields ?? []) {
    const [part, ...path] = field.name.split('.');
    if (part === 'secrets' && sandbox) continue;
    const raw = formString(form, field.name);
    let value: unknown = raw;
    if (field.type === 'checkbox') value = form.get(field.name) === 'on';
    else if (!raw) continue;
    else if (field.type === 'number') value = Number(raw);
    setPath(part === 'secrets' ? secrets : config, path, value);
  }
  return { config, secrets: sandbox ? undefined : (secrets as Record<string, string>) };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  const id = formString(form, 'connectionId');
  switch (intent) {
    case 'connect': {
      const kind = formString(form, 'kind');
      const name = formString(form, 'name');
      if (!kindOf(kind)) return invalid(intent, 'kind', 'Choose a kind of channel.');
      if (!name) return invalid(intent, 'name', 'Give the connection a name.');
      const { config, secrets } = connectionInput(form, kind, form.get('sandbox') === 'on');
      return runAction(request, intent, (token) => channelsApi.connect(token, { kind, name, config, secrets }));
    }
    case 'test':
      return runAction(request, intent, (token) => channelsApi.test(token, id));
    case 'disconnect':
      return runAction(request, intent, (token) => channelsApi.disconnect(token, id), 'Disconnected.');
    case 'reconnect':
      return runAction(request, intent, (token) => channelsApi.reconnect(token, id), 'Reconnected.');
    default:
      return invalid(intent, 'intent', `Unknown action "${intent}".`);
  }
}

export default function ChannelsSettings() {
  const { connections } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayManage = can(viewer.role, 'channels:manage');
  return (
    <div className="settings-page" data-testid="settings-channels">
      <header className="settings-header">
        <h2>Channels</h2>
        <p className="muted">
          Connect the accounts customers write to. A connection without credentials runs in the sandbox: replies are recorded as sent and nothing
          leaves the platform, so the product can be tried offline with the simulator.
        </p>
      </header>
      {mayManage ? <ChannelConnectForm /> : <ReadOnlyNote role={viewer.role} what="channels" />}
      <section className="settings-card" aria-labelledby="connections-heading">
        <h3 id="connections-heading">Connections ({connections.length})</h3>
        {connections.length === 0 ? <p className="muted">No channels connected yet.</p> : null}
        <ul className="connection-list">
          {connections.map((connection) => (
            <ChannelCard key={connection.id} connection={connection} mayManage={mayManage} />
          ))}
        </ul>
      </section>
    </div>
  );
}
