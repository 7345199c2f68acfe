import { useState } from 'react';
import type { GraphEdge, GraphNode, RunStep, ValidationError } from './automation-types';
import { ConditionEditor } from './condition-editor';
import { ExpressionInput } from './expression-input';
import { KIND_BY_TYPE, branchesOf, categoryOf, labelOf, type Field } from './node-catalog';

interface Props {
  node: GraphNode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  errors: ValidationError[];
  references: string[];
  step?: RunStep;
  readOnly: boolean;
  onConfig: (config: Record<string, unknown>) => void;
  onNode: (patch: Partial<GraphNode>) => void;
  onConnect: (branch: string, target: string | null) => void;
  onDelete: () => void;
}

/** The selected step: its settings, where each branch leads, its retries, and, when a run is shown, what it did. */
export function NodePanel({ node, nodes, edges, errors, references, step, readOnly, onConfig, onNode, onConnect, onDelete }: Props) {
  const kind = KIND_BY_TYPE.get(node.type);
  const fieldError = (key: string) => errors.find((e) => e.field === `config.${key}` || e.field?.startsWith(`config.${key}.`))?.message;
  const general = errors.filter((e) => !e.field?.startsWith('config.'));
  const io = categoryOf(node.type) === 'ai' || categoryOf(node.type) === 'action';
  return (
    <aside className="node-panel" data-testid="node-panel" data-node-id={node.id}>
      <header>
        <h3>{labelOf(node.type)}</h3>
        <code>{node.id}</code>
      </header>
      {step ? <StepDetails step={step} /> : null}
      {general.map((e, i) => (
        <p key={i} className="field-error" data-testid="node-error">
          {e.message}
        </p>
      ))}
      <fieldset disabled={readOnly}>
        {(kind?.fields ?? []).map((f) => (
          <FieldInput key={`${node.id}:${f.key}`} field={f} value={node.config[f.key]} references={references} error={fieldError(f.key)} onChange={(v) => onConfig(withValue(node.config, f, v))} />
        ))}
        {kind ? null : <JsonField value={node.config} onChange={(v) => onConfig(v as Record<string, unknown>)} />}
        {branchesOf(node).length ? (
          <div className="panel-section">
            <h4>Next steps</h4>
            {branchesOf(node).map((b) => {
              const current = edges.find((e) => e.source === node.id && (e.handle ?? 'next') === b)?.target ?? '';
              return (
                <label key={b} className="branch-target">
                  {b === 'next' ? 'then' : b}
                  <select value={current} onChange={(e) => onConnect(b, e.target.value || null)} data-testid={`connect-${b}`}>
                    <option value="">{b === 'error' ? '(fail the run)' : '(end)'}</option>
                    {nodes
                      .filter((n) => n.id !== node.id && categoryOf(n.type) !== 'trigger')
                      .map((n) => (
                        <option key={n.id} value={n.id}>
                          {n.id} · {labelOf(n.type)}
                        </option>
                      ))}
                  </select>
                </label>
              );
            })}
          </div>
        ) : null}
        {io ? (
          <div className="panel-section inline">
            <label>
              Attempts <input type="number" min={1} max={10} value={node.retry?.maxAttempts ?? ''} placeholder="3" onChange={(e) => onNode({ retry: e.target.value ? { maxAttempts: Number(e.target.value) } : undefined })} />
            </label>
            <label>
              Timeout (s) <input type="number" min={1} value={node.timeoutSeconds ?? ''} placeholder={categoryOf(node.type) === 'ai' ? '90' : '30'} onChange={(e) => onNode({ timeoutSeconds: e.target.value ? Number(e.target.value) : undefined })} />
            </label>
          </div>
        ) : null}
        <button type="button" className="danger" onClick={onDelete} data-testid="delete-node">
          Delete step
        </button>
      </fieldset>
    </aside>
  );
}

function withValue(config: Record<string, unknown>, f: Field, value: unknown): Record<string, unknown> {
  const next = { ...config };
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0 && 'optional' in f && f.optional);
  if (empty && 'optional' in f && f.optional) delete next[f.key];
  else next[f.key] = value;
  return next;
}

function FieldInput({ field, value, references, error, onChange }: { field: Field; value: unknown; references: string[]; error?: string; onChange: (v: unknown) => void }) {
  const testId = `field-${field.key}`;
  let input;
  switch (field.kind) {
    case 'template':
    case 'textarea':
      input = <ExpressionInput value={typeof value === 'string' ? value : ''} onChange={onChange} references={references} multiline={field.kind === 'textarea'} placeholder={field.kind === 'template' ? '{{trigger.message.text}}' : undefined} testId={testId} />;
      break;
    case 'text':
      input = <input value={typeof value === 'string' ? value : ''} placeholder={field.placeholder} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
      break;
    case 'number':
      input = <input type="number" value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} data-testid={testId} />;
      break;
    case 'select':
      input = (
        <select value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
          {field.optional ? <option value="">—</option> : null}
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'list':
      input = <ListInput value={Array.isArray(value) ? value.map(String) : []} onChange={onChange} placeholder={field.placeholder} testId={testId} />;
      break;
    case 'bool':
      input = <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked || undefined)} data-testid={testId} />;
      break;
    case 'condition':
      input = <ConditionEditor value={value} onChange={onChange} references={references} />;
      break;
    case 'json':
      input = <JsonField value={value} onChange={onChange} testId={testId} />;
      break;
  }
  return (
    <label className={`panel-field${error ? ' has-error' : ''}`}>
      <span>{field.label}</span>
      {input}
      {error ? (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </label>
  );
}

/** Comma-separated values, kept as a list. */
function ListInput({ value, onChange, placeholder, testId }: { value: string[]; onChange: (v: string[]) => void; placeholder?: string; testId: string }) {
  const [text, setText] = useState(value.join(', '));
  return (
    <input
      value={text}
      placeholder={placeholder ? `${placeholder}, …` : undefined}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean));
      }}
      data-testid={testId}
    />
  );
}

function JsonField({ value, onChange, testId }: { value: unknown; onChange: (v: unknown) => void; testId?: string }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        rows={4}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setBad(false);
            return onChange(undefined);
          }
          try {
            onChange(JSON.parse(e.target.value));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
        data-testid={testId}
      />
      {bad ? <span className="field-error">Not valid JSON yet</span> : null}
    </>
  );
}

function StepDetails({ step }: { step: RunStep }) {
  return (
    <div className={`step-details result-${step.status}`} data-testid="step-details">
      <p>
        <strong>{step.status}</strong>
        {step.branch ? ` → ${step.branch}` : ''} · {Math.max(0, Date.parse(step.finishedAt) - Date.parse(step.startedAt))} ms
      </p>
      {step.error ? <p className="field-error">{step.error}</p> : null}
      {step.input !== null && step.input !== undefined ? (
        <details open>
          <summary>Input</summary>
          <pre>{JSON.stringify(step.input, null, 2)}</pre>
        </details>
      ) : null}
      <details open>
        <summary>Output</summary>
        <pre data-testid="step-output">{JSON.stringify(step.output, null, 2)}</pre>
      </details>
    </div>
  );
}
