import { useFetcher } from '@remix-run/react';
import { BUILT_IN_ATTRIBUTES, PRIORITIES, splitList, type AgentConfig, type Condition, type EscalationRule } from './agent-config';
import { AgentSection, RowError, type SectionProps } from './agent-section';
import type { Outcome } from './form-bits';
import { nextId, useRows } from './list-rows';

interface ConditionRow {
  group: 'all' | 'any';
  attribute: string;
  op: Condition['op'];
  value: string;
}

interface Row {
  id: string;
  priority: EscalationRule['priority'];
  team: string;
  createTicket: boolean;
  holdingMessage: string;
  conditions: ConditionRow[];
}

const conditionRow = (group: 'all' | 'any') => (c: Condition): ConditionRow => ({
  group,
  attribute: c.attribute,
  op: c.op,
  value: Array.isArray(c.value) ? c.value.join(', ') : c.value,
});

const toRow = (r: EscalationRule): Row => ({
  id: r.id,
  priority: r.priority,
  team: r.team ?? '',
  createTicket: r.createTicket,
  holdingMessage: r.holdingMessage ?? '',
  conditions: [...r.all.map(conditionRow('all')), ...r.any.map(conditionRow('any'))],
});

function toRule(r: Row): EscalationRule {
  const condition = (c: ConditionRow): Condition => ({ attribute: c.attribute.trim(), op: c.op, value: c.op === 'in' ? splitList(c.value) : c.value.trim() });
  return {
    id: r.id,
    priority: r.priority,
    createTicket: r.createTicket,
    all: r.conditions.filter((c) => c.group === 'all').map(condition),
    any: r.conditions.filter((c) => c.group === 'any').map(condition),
    ...(r.team.trim() && { team: r.team.trim() }),
    ...(r.holdingMessage.trim() && { holdingMessage: r.holdingMessage.trim() }),
  };
}

/** When a conversation goes to a person: conditions on what the AI detected, and where it goes. */
export function EscalationSection({ config, teams, ...props }: SectionProps & { config: AgentConfig; teams: string[] }) {
  const fetcher = useFetcher<Outcome>();
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const rows = useRows(config.escalation.map(toRow));
  const attributes = [...BUILT_IN_ATTRIBUTES, ...config.attributes.map((a) => a.key), 'contact.'];
  const blankCondition: ConditionRow = { group: 'all', attribute: 'urgency', op: 'eq', value: 'high' };
  const setCondition = (i: number, j: number, patch: Partial<ConditionRow>) =>
    rows.update(i, { conditions: rows.values[i]!.conditions.map((c, k) => (k === j ? { ...c, ...patch } : c)) });

  return (
    <AgentSection
      {...props}
      section="escalation"
      title="Escalation rules"
      description="Hand a conversation to a person when what the AI detected matches, for example urgency is high, or intent is complaint. “All” conditions must all match; of the “any” ones, one is enough."
      value={{ escalation: rows.values.map(toRule) }}
      fetcher={fetcher}
    >
      <datalist id="escalation-attributes">
        {attributes.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <datalist id="escalation-teams">
        {teams.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      {rows.rows.length === 0 ? <p className="muted">No escalation rules: the assistant hands over only when asked to.</p> : null}
      {rows.rows.map(({ key, value: row }, i) => (
        <div key={key} className="list-row" data-testid="escalation-row">
          <div className="form-grid">
            <label className="field">
              <span>Id</span>
              <input value={row.id} onChange={(e) => rows.update(i, { id: e.target.value })} maxLength={60} required data-testid="escalation-id" />
            </label>
            <label className="field">
              <span>Priority</span>
              <select value={row.priority} onChange={(e) => rows.update(i, { priority: e.target.value as Row['priority'] })} data-testid="escalation-priority">
                {PRIORITIES.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Team (optional)</span>
              <input value={row.team} list="escalation-teams" onChange={(e) => rows.update(i, { team: e.target.value })} maxLength={60} data-testid="escalation-team" />
            </label>
            <label className="check">
              <input type="checkbox" checked={row.createTicket} onChange={(e) => rows.update(i, { createTicket: e.target.checked })} data-testid="escalation-ticket" />
              Open a ticket
            </label>
          </div>
          <table className="settings-table conditions">
            <thead>
              <tr>
                <th scope="col">Match</th>
                <th scope="col">Attribute</th>
                <th scope="col">Is</th>
                <th scope="col">Value</th>
                <th scope="col"><span className="visually-hidden">Remove</span></th>
              </tr>
            </thead>
            <tbody>
              {row.conditions.map((c, j) => (
                <tr key={j} data-testid="escalation-condition">
                  <td>
                    <select value={c.group} onChange={(e) => setCondition(i, j, { group: e.target.value as ConditionRow['group'] })} aria-label="Match">
                      <option value="all">all</option>
                      <option value="any">any</option>
                    </select>
                  </td>
                  <td>
                    <input value={c.attribute} list="escalation-attributes" onChange={(e) => setCondition(i, j, { attribute: e.target.value })} aria-label="Attribute" data-testid="condition-attribute" />
                  </td>
                  <td>
                    <select value={c.op} onChange={(e) => setCondition(i, j, { op: e.target.value as Condition['op'] })} aria-label="Operator">
                      <option value="eq">equal to</option>
                      <option value="neq">not equal to</option>
                      <option value="in">one of (comma-separated)</option>
                    </select>
                  </td>
                  <td>
                    <input value={c.value} onChange={(e) => setCondition(i, j, { value: e.target.value })} aria-label="Value" data-testid="condition-value" />
                  </td>
                  <td>
                    <button type="button" className="button ghost" aria-label="Remove condition" onClick={() => rows.update(i, { conditions: row.conditions.filter((_, k) => k !== j) })}>
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <RowError outcome={outcome} path={`escalation.${i}`} />
          <RowError outcome={outcome} path={`escalation.${i}.attribute`} />
          <label className="field">
            <span>Holding message to the customer (optional)</span>
            <input value={row.holdingMessage} onChange={(e) => rows.update(i, { holdingMessage: e.target.value })} maxLength={1000} placeholder="A teammate will be with you shortly." />
          </label>
          <div className="button-row">
            <button type="button" className="button" onClick={() => rows.update(i, { conditions: [...row.conditions, blankCondition] })} data-testid="condition-add">
              Add a condition
            </button>
            <button type="button" className="button ghost" onClick={() => rows.remove(i)} data-testid="escalation-remove">
              Remove rule
            </button>
          </div>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button"
          onClick={() => rows.add({ id: nextId('rule', rows.values), priority: 'high', team: '', createTicket: false, holdingMessage: '', conditions: [blankCondition] })}
          data-testid="escalation-add"
        >
          Add a rule
        </button>
      </div>
    </AgentSection>
  );
}
