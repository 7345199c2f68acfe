import { useFetcher } from '@remix-run/react';
import { INTENTS, splitList, type AgentConfig, type Guardrail } from './agent-config';
import { AgentSection, RowError, type SectionProps } from './agent-section';
import type { Outcome } from './form-bits';
import { nextId, useRows } from './list-rows';

/** One editable row: every kind's fields at once, so switching kind keeps what was typed. */
interface Row {
  id: string;
  stage: 'input' | 'output';
  kind: Guardrail['kind'];
  keywords: string;
  pattern: string;
  intents: string[];
  action: 'block' | 'redact';
  reply: string;
}

const toRow = (g: Guardrail): Row => ({
  id: g.id,
  stage: g.stage,
  kind: g.kind,
  keywords: g.kind === 'keyword' ? g.keywords.join(', ') : '',
  pattern: g.kind === 'regex' ? g.pattern : '',
  intents: g.kind === 'intent' ? g.intents : [],
  action: g.action,
  reply: g.reply ?? '',
});

function toGuardrail(r: Row): Guardrail {
  const reply = r.reply.trim() ? { reply: r.reply.trim() } : {};
  // The intent check reads the customer's message, so it only runs on input and only blocks.
  if (r.kind === 'intent') return { id: r.id, stage: 'input', kind: 'intent', intents: r.intents, action: 'block', ...reply };
  if (r.kind === 'regex') return { id: r.id, stage: r.stage, kind: 'regex', pattern: r.pattern, action: r.action, ...reply };
  return { id: r.id, stage: r.stage, kind: 'keyword', keywords: splitList(r.keywords), action: r.action, ...reply };
}

/** Checks on what customers send (input) and what the assistant is about to say (output). */
export function GuardrailsSection({ config, ...props }: SectionProps & { config: AgentConfig }) {
  const fetcher = useFetcher<Outcome>();
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const rows = useRows(config.guardrails.map(toRow));
  const blank = (): Row => ({ id: nextId('guardrail', rows.values), stage: 'input', kind: 'keyword', keywords: '', pattern: '', intents: [], action: 'block', reply: '' });

  return (
    <AgentSection
      {...props}
      section="guardrails"
      title="Guardrails"
      description="Block or redact messages that match keywords or a pattern, or block topics the assistant must not handle. A blocked message gets the reply you set, or goes to a person."
      value={{ guardrails: rows.values.map(toGuardrail) }}
      fetcher={fetcher}
    >
      {rows.rows.length === 0 ? <p className="muted">No guardrails.</p> : null}
      {rows.rows.map(({ key, value: row }, i) => {
        const at = (field: string) => `guardrails.${i}.${field}`;
        return (
          <div key={key} className="list-row" data-testid="guardrail-row">
            <div className="form-grid">
              <label className="field">
                <span>Id</span>
                <input value={row.id} onChange={(e) => rows.update(i, { id: e.target.value })} maxLength={60} required data-testid="guardrail-id" />
                <RowError outcome={outcome} path={at('id')} />
              </label>
              <label className="field">
                <span>Check</span>
                <select value={row.kind} onChange={(e) => rows.update(i, { kind: e.target.value as Row['kind'] })} data-testid="guardrail-kind">
                  <option value="keyword">Keywords</option>
                  <option value="regex">Pattern (regular expression)</option>
                  <option value="intent">Topic (detected intent)</option>
                </select>
              </label>
              <label className="field">
                <span>On</span>
                <select value={row.kind === 'intent' ? 'input' : row.stage} disabled={row.kind === 'intent'} onChange={(e) => rows.update(i, { stage: e.target.value as Row['stage'] })} data-testid="guardrail-stage">
                  <option value="input">Customer messages</option>
                  <option value="output">Assistant replies</option>
                </select>
              </label>
              <label className="field">
                <span>Action</span>
                <select value={row.kind === 'intent' ? 'block' : row.action} disabled={row.kind === 'intent'} onChange={(e) => rows.update(i, { action: e.target.value as Row['action'] })} data-testid="guardrail-action">
                  <option value="block">Block</option>
                  <option value="redact">Redact the match</option>
                </select>
              </label>
            </div>
            {row.kind === 'keyword' ? (
              <label className="field">
                <span>Keywords (comma-separated)</span>
                <input value={row.keywords} onChange={(e) => rows.update(i, { keywords: e.target.value })} placeholder="password, credit card number" data-testid="guardrail-keywords" />
                <RowError outcome={outcome} path={at('keywords')} />
              </label>
            ) : null}
            {row.kind === 'regex' ? (
              <label className="field">
                <span>Pattern</span>
                <input className="mono" value={row.pattern} onChange={(e) => rows.update(i, { pattern: e.target.value })} placeholder="\b\d{16}\b" data-testid="guardrail-pattern" />
                <RowError outcome={outcome} path={at('pattern')} />
              </label>
            ) : null}
            {row.kind === 'intent' ? (
              <fieldset className="chips">
                <legend>Topics to block</legend>
                {INTENTS.map((intent) => (
                  <label key={intent} className="check">
                    <input
                      type="checkbox"
                      checked={row.intents.includes(intent)}
                      onChange={(e) => rows.update(i, { intents: e.target.checked ? [...row.intents, intent] : row.intents.filter((x) => x !== intent) })}
                    />
                    {intent.replace(/_/g, ' ')}
                  </label>
                ))}
                <RowError outcome={outcome} path={at('intents')} />
              </fieldset>
            ) : null}
            <label className="field">
              <span>Reply when blocked (optional)</span>
              <input value={row.reply} onChange={(e) => rows.update(i, { reply: e.target.value })} maxLength={1000} data-testid="guardrail-reply" />
            </label>
            <RowError outcome={outcome} path={`guardrails.${i}`} />
            <button type="button" className="button ghost" onClick={() => rows.remove(i)} data-testid="guardrail-remove">
              Remove guardrail
            </button>
          </div>
        );
      })}
      <div>
        <button type="button" className="button" onClick={() => rows.add(blank())} data-testid="guardrail-add">
          Add a guardrail
        </button>
      </div>
    </AgentSection>
  );
}
