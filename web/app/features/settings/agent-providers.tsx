import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type { LlmProvider } from './agent-api.server';
import { FieldError, FormStatus, type Outcome } from './form-bits';

const KIND_LABELS = { openai: 'OpenAI', groq: 'Groq', compatible: 'OpenAI-compatible server' } as const;

/** The language models the agent may use, tried in priority order; without any it answers locally. */
export function ProvidersSection({ providers, mayManage }: { providers: LlmProvider[]; mayManage: boolean }) {
  return (
    <section className="settings-card" aria-labelledby="providers-heading" data-testid="agent-providers">
      <h3 id="providers-heading">Model providers</h3>
      <p className="muted">
        Without a provider the assistant runs on the built-in local model. Keys are stored encrypted and never shown again.
      </p>
      {providers.length === 0 ? <p className="muted">No providers: the local model answers.</p> : null}
      <ul className="connection-list">
        {providers.map((provider) => (
          <ProviderRow key={provider.id} provider={provider} mayManage={mayManage} />
        ))}
      </ul>
      {mayManage ? <AddProviderForm /> : null}
    </section>
  );
}

function ProviderRow({ provider, mayManage }: { provider: LlmProvider; mayManage: boolean }) {
  const fetcher = useFetcher<Outcome>();
  return (
    <li className="connection-card" data-testid="provider-row">
      <div className="team-head">
        <strong>{provider.baseUrl ? KIND_LABELS.compatible : KIND_LABELS[provider.kind]}</strong>
        <code className="mono">{provider.model}</code>
        <span className="muted small">priority {provider.priority}</span>
        {provider.enabled ? null : <span className="badge">disabled</span>}
        <span className="spacer" />
        <span className="mono muted" data-testid="provider-key-hint">
          key ••••{provider.apiKeyHint.replace(/^…/, '')}
        </span>
        {mayManage ? (
          <fetcher.Form method="post">
            <input type="hidden" name="providerId" value={provider.id} />
            <button type="submit" name="intent" value="remove-provider" className="button danger" disabled={fetcher.state !== 'idle'} data-testid="provider-remove">
              Remove
            </button>
          </fetcher.Form>
        ) : null}
      </div>
      {provider.baseUrl ? <p className="muted small mono">{provider.baseUrl}</p> : null}
      <FormStatus outcome={fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? fetcher.data : undefined} testId="provider-remove-error" />
    </li>
  );
}

function AddProviderForm() {
  const fetcher = useFetcher<Outcome>();
  const [kind, setKind] = useState<keyof typeof KIND_LABELS>('openai');
  const formRef = useRef<HTMLFormElement>(null);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  useEffect(() => {
    if (outcome?.ok) formRef.current?.reset();
  }, [outcome]);

  return (
    <fetcher.Form method="post" ref={formRef} className="stack-form" data-testid="provider-form">
      <input type="hidden" name="intent" value="add-provider" />
      <h4>Add a provider</h4>
      <div className="form-grid">
        <label className="field">
          <span>Provider</span>
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as keyof typeof KIND_LABELS)} data-testid="provider-kind">
            {Object.entries(KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>API key</span>
          <input name="apiKey" type="password" required autoComplete="off" maxLength={500} data-testid="provider-key" />
          <FieldError outcome={outcome} name="apiKey" />
        </label>
        {kind === 'compatible' ? (
          <label className="field">
            <span>Base URL</span>
            <input name="baseUrl" type="url" required placeholder="https://llm.example.com/v1" data-testid="provider-base-url" />
            <FieldError outcome={outcome} name="baseUrl" />
          </label>
        ) : null}
        <label className="field">
          <span>Model (optional)</span>
          <input name="model" maxLength={100} placeholder={kind === 'groq' ? 'llama-3.3-70b-versatile' : 'gpt-4o-mini'} data-testid="provider-model" />
          <FieldError outcome={outcome} name="model" />
        </label>
        <label className="field">
          <span>Priority</span>
          <input name="priority" type="number" min={1} max={10} defaultValue={1} data-testid="provider-priority" />
          <FieldError outcome={outcome} name="priority" />
        </label>
      </div>
      <div className="button-row">
        <button type="submit" className="button primary" disabled={fetcher.state !== 'idle'} data-testid="provider-add">
          Add provider
        </button>
      </div>
      <FormStatus outcome={outcome} testId="provider-status" />
    </fetcher.Form>
  );
}
