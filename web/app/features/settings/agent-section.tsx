import { useFetcher } from '@remix-run/react';
import type { ReactNode } from 'react';
import { FormStatus, SaveButton, type Outcome } from './form-bits';

export type AgentSectionKey = 'guidance' | 'guardrails' | 'escalation' | 'tools';

/** Whatever a section edits, saved as a new version of the whole configuration (the rest unchanged). */
export interface SectionProps {
  disabled: boolean;
}

/** The message for a field path the API named (`guardrails.0.pattern`), if any. */
export const fieldMessage = (outcome: Outcome | undefined, path: string) => (outcome && !outcome.ok ? outcome.fields?.[path] : undefined);

export function RowError({ outcome, path }: { outcome: Outcome | undefined; path: string }) {
  const message = fieldMessage(outcome, path);
  return message ? (
    <span className="field-error" role="alert">
      {message}
    </span>
  ) : null;
}

/**
 * One part of the agent configuration with its own save button. Saving sends only this part; the
 * server lays it over the active configuration, stores that as a new version and activates it
 * (an earlier version is one click away in the version list).
 */
export function AgentSection({
  section,
  title,
  description,
  value,
  disabled,
  fetcher,
  children,
}: SectionProps & {
  section: AgentSectionKey;
  title: string;
  description: ReactNode;
  value: unknown;
  fetcher: ReturnType<typeof useFetcher<Outcome>>;
  children: ReactNode;
}) {
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  return (
    <fetcher.Form method="post" className="settings-card stack-form" data-testid={`agent-${section}-form`}>
      <h3>{title}</h3>
      <p className="muted">{description}</p>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="section" value={section} />
      <input type="hidden" name="value" value={JSON.stringify(value)} />
      <fieldset disabled={disabled} className="plain">
        {children}
      </fieldset>
      {disabled ? null : (
        <div className="button-row">
          <SaveButton busy={fetcher.state !== 'idle'} testId={`agent-${section}-save`} label={`Save ${title.toLowerCase()}`} />
        </div>
      )}
      <FormStatus outcome={outcome} testId={`agent-${section}-status`} />
    </fetcher.Form>
  );
}
