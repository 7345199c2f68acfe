import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { CHANNEL_KINDS, kindOf, type ChannelField } from './channel-kinds';
import type { ChannelConnection } from './channels-api.server';
import { CopyButton, FieldError, FormStatus, type Outcome } from './form-bits';

type ConnectOutcome = Outcome & { value?: ChannelConnection };

/** Connect a channel: the fields follow the chosen kind, and the API's field errors sit beside them. */
export function ChannelConnectForm() {
  const fetcher = useFetcher<ConnectOutcome>();
  const [kind, setKind] = useState(CHANNEL_KINDS[0]!.kind);
  const [sandbox, setSandbox] = useState(true);
  const formRef = useRef<HTMLFormElement>(null);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const connected = outcome?.ok ? outcome.value : undefined;
  useEffect(() => {
    if (connected) formRef.current?.reset();
  }, [connected]);
  const spec = kindOf(kind)!;
  const fields = spec.fields.filter((f) => !(sandbox && f.name.startsWith('secrets.')));

  return (
    <section className="settings-card" aria-labelledby="connect-heading">
      <h3 id="connect-heading">Connect a channel</h3>
      <fetcher.Form method="post" ref={formRef} className="stack-form" data-testid="channel-connect-form">
        <input type="hidden" name="intent" value="connect" />
        <div className="form-grid">
          <label className="field">
            <span>Kind</span>
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} data-testid="channel-kind">
              {CHANNEL_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
            <FieldError outcome={outcome} name="kind" />
          </label>
          <label className="field">
            <span>Name</span>
            <input name="name" required maxLength={80} placeholder={`${spec.label} support`} data-testid="channel-name" />
            <FieldError outcome={outcome} name="name" />
          </label>
        </div>
        <label className="check">
          <input type="checkbox" name="sandbox" checked={sandbox} onChange={(e) => setSandbox(e.target.checked)} data-testid="channel-sandbox" />
          Sandbox (no credentials: nothing leaves the platform)
        </label>
        <p className="muted small">{spec.blurb}</p>
        <div className="form-grid" key={kind}>
          {fields.map((field) => (
            <ChannelInput key={field.name} field={field} outcome={outcome} />
          ))}
        </div>
        <FieldError outcome={outcome} name="config" />
        <FieldError outcome={outcome} name="secrets" />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={fetcher.state !== 'idle'} data-testid="channel-connect">
            {fetcher.state !== 'idle' ? 'Connecting…' : 'Connect'}
          </button>
        </div>
        <FormStatus outcome={outcome && !outcome.ok ? outcome : undefined} testId="channel-connect-error" />
      </fetcher.Form>
      {connected?.webhookUrl ? (
        <div className="invite-result" role="status" data-testid="channel-connected">
          <p>
            Connected <strong>{connected.name}</strong>. Paste this webhook URL into the provider:
          </p>
          <div className="copy-row">
            <code className="mono">{connected.webhookUrl}</code>
            <CopyButton text={connected.webhookUrl} testId="channel-connected-webhook-copy" />
          </div>
        </div>
      ) : null}
    </section>
  );
}

function ChannelInput({ field, outcome }: { field: ChannelField; outcome: Outcome | undefined }) {
  const testId = `channel-field-${field.name}`;
  if (field.type === 'checkbox') {
    return (
      <label className="check">
        <input type="checkbox" name={field.name} data-testid={testId} />
        {field.label}
        <FieldError outcome={outcome} name={field.name} />
      </label>
    );
  }
  return (
    <label className="field">
      <span>
        {field.label}
        {field.required ? null : <span className="muted small"> (optional)</span>}
      </span>
      {field.type === 'select' ? (
        <select name={field.name} data-testid={testId}>
          {field.options?.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input
          name={field.name}
          type={field.type ?? 'text'}
          required={field.required}
          placeholder={field.placeholder}
          autoComplete={field.type === 'password' ? 'new-password' : 'off'}
          aria-invalid={Boolean(outcome && !outcome.ok && outcome.fields?.[field.name])}
          data-testid={testId}
        />
      )}
      {field.hint ? <span className="muted small">{field.hint}</span> : null}
      <FieldError outcome={outcome} name={field.name} />
    </label>
  );
}
