import { useFetcher } from '@remix-run/react';
import { useState } from 'react';
import { TONES, type AgentConfig } from './agent-config';
import { AgentSection, RowError, type SectionProps } from './agent-section';
import type { Outcome } from './form-bits';
import { useRows } from './list-rows';

/** The agent's name, tone and style, and the house rules it follows in every reply. */
export function GuidanceSection({ config, ...props }: SectionProps & { config: AgentConfig }) {
  const fetcher = useFetcher<Outcome>();
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const [name, setName] = useState(config.name);
  const [tone, setTone] = useState(config.guidance.tone);
  const rules = useRows(config.guidance.rules.map((text) => ({ text })));
  const value = { name, guidance: { tone, rules: rules.values.map((r) => r.text.trim()).filter(Boolean) } };

  return (
    <AgentSection
      {...props}
      section="guidance"
      title="Guidance"
      description="How the assistant sounds and the rules it always follows, like “Never promise delivery dates” or “Answer in the customer’s language”."
      value={value}
      fetcher={fetcher}
    >
      <div className="form-grid">
        <label className="field">
          <span>Assistant name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required data-testid="agent-name" />
          <RowError outcome={outcome} path="name" />
        </label>
        <label className="field">
          <span>Tone</span>
          <select value={tone} onChange={(e) => setTone(e.target.value as AgentConfig['guidance']['tone'])} data-testid="agent-tone">
            {TONES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="field">
        <span>Rules ({rules.rows.length} of 50)</span>
        <ol className="rule-list">
          {rules.rows.map((row, i) => (
            <li key={row.key} className="rule-row">
              <input
                value={row.value.text}
                onChange={(e) => rules.update(i, { text: e.target.value })}
                maxLength={500}
                aria-label={`Rule ${i + 1}`}
                placeholder="Always offer to connect the customer with a person when they ask"
                data-testid="agent-rule"
              />
              <button type="button" className="button ghost" onClick={() => rules.remove(i)} aria-label={`Remove rule ${i + 1}`} data-testid="agent-rule-remove">
                ✕
              </button>
              <RowError outcome={outcome} path={`guidance.rules.${i}`} />
            </li>
          ))}
        </ol>
        <div>
          <button type="button" className="button" onClick={() => rules.add({ text: '' })} disabled={rules.rows.length >= 50} data-testid="agent-rule-add">
            Add a rule
          </button>
        </div>
      </div>
    </AgentSection>
  );
}
