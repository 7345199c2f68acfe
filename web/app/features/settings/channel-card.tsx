import { useFetcher } from '@remix-run/react';
import { Time } from '~/shared/time';
import { kindLabel } from './channel-kinds';
import type { ChannelConnection } from './channels-api.server';
import { CopyButton, FormStatus, type Outcome } from './form-bits';

/** One connection: where its provider posts, what its last test said, and test/disconnect. */
export function ChannelCard({ connection, mayManage }: { connection: ChannelConnection; mayManage: boolean }) {
  const fetcher = useFetcher<Outcome>();
  const busy = fetcher.state !== 'idle' ? String(fetcher.formData?.get('intent') ?? '') : null;
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const active = connection.status === 'active';
  const hints = Object.entries(connection.secretHints);

  return (
    <li className="connection-card" data-testid="channel-card" data-name={connection.name} data-status={connection.status}>
      <div className="team-head">
        <strong>{connection.name}</strong>
        <span className="badge">{kindLabel(connection.kind)}</span>
        {connection.sandbox ? <span className="badge sandbox">sandbox</span> : null}
        <span className={`badge ${active ? 'status-open' : 'status-off'}`} data-testid="channel-status">
          {connection.status}
        </span>
      </div>
      {connection.webhookUrl ? (
        <div className="copy-row">
          <span className="muted small">Webhook URL</span>
          <code className="mono" data-testid="channel-webhook-url">
            {connection.webhookUrl}
          </code>
          <CopyButton text={connection.webhookUrl} testId="channel-webhook-copy" />
        </div>
      ) : null}
      {hints.length > 0 ? (
        <p className="muted small">
          {hints.map(([name, hint]) => (
            <span key={name} className="secret-hint">
              {name} ••••{hint.replace(/^…/, '')}
            </span>
          ))}
        </p>
      ) : null}
      {connection.lastTest ? (
        <p className={connection.lastTest.ok ? 'test-ok' : 'form-error'} data-testid="channel-test-result">
          {connection.lastTest.ok ? '✓ ' : '✗ '}
          {connection.lastTest.message} <span className="muted small">(<Time value={connection.lastTest.at} withDate />)</span>
        </p>
      ) : null}
      {mayManage ? (
        <fetcher.Form method="post" className="button-row">
          <input type="hidden" name="connectionId" value={connection.id} />
          <button type="submit" name="intent" value="test" className="button" disabled={busy !== null} data-testid="channel-test">
            {busy === 'test' ? 'Testing…' : 'Test'}
          </button>
          {active ? (
            <button type="submit" name="intent" value="disconnect" className="button danger" disabled={busy !== null} data-testid="channel-disconnect">
              {busy === 'disconnect' ? 'Disconnecting…' : 'Disconnect'}
            </button>
          ) : (
            <button type="submit" name="intent" value="reconnect" className="button" disabled={busy !== null} data-testid="channel-reconnect">
              {busy === 'reconnect' ? 'Reconnecting…' : 'Reconnect'}
            </button>
          )}
        </fetcher.Form>
      ) : null}
      <FormStatus outcome={outcome && !outcome.ok ? outcome : undefined} testId="channel-action-error" />
    </li>
  );
}
