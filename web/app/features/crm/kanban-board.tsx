import { useFetcher } from '@remix-run/react';
import { useEffect, useState, type DragEvent } from 'react';
import type { ActionOutcome } from '../settings/action-result.server';
import type { BoardColumn, Lead } from './crm-api.server';

const DRAG_TYPE = 'application/x-switchboard-lead';

/** Columns as the server sent them, with `lead` moved to `stageId` at `position`. */
function moved(columns: BoardColumn[], leadId: string, stageId: string, position: number): BoardColumn[] {
  const lead = columns.flatMap((c) => c.leads).find((l) => l.id === leadId);
  if (!lead) return columns;
  const cents = (v: string | null) => Math.round(Number(v ?? 0) * 100);
  return columns.map((c) => {
    let leads = c.leads.filter((l) => l.id !== leadId);
    if (c.id === stageId) leads = [...leads.slice(0, position), { ...lead, stageId }, ...leads.slice(position)];
    const total = leads.reduce((sum, l) => sum + cents(l.value), 0);
    return { ...c, leads, count: leads.length, total: (total / 100).toFixed(2) };
  });
}

/**
 * The pipeline's kanban board. A card dropped on a column moves at once on screen and the move is
 * saved; if the server refuses it, the card goes back where it was and the reason is shown.
 */
export function KanbanBoard({ columns: fromServer, currency, ownerNames }: { columns: BoardColumn[]; currency: string; ownerNames: Record<string, string> }) {
  const mover = useFetcher<ActionOutcome<unknown>>();
  const [columns, setColumns] = useState(fromServer);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  // The server's board is the truth whenever it arrives (after each save, or a refusal's revalidation).
  useEffect(() => setColumns(fromServer), [fromServer]);
  useEffect(() => {
    if (mover.state !== 'idle' || !mover.data) return;
    if (!mover.data.ok) {
      setError(`The move was not saved: ${mover.data.error}`);
      setColumns(fromServer);
    }
  }, [mover.state, mover.data, fromServer]);

  const drop = (e: DragEvent, stageId: string, index: number) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(null);
    const leadId = e.dataTransfer.getData(DRAG_TYPE);
    if (!leadId) return;
    setError(null);
    setColumns((cols) => moved(cols, leadId, stageId, index));
    mover.submit({ intent: 'move', leadId, stageId, position: index }, { method: 'post', encType: 'application/json' });
  };

  return (
    <div className="kanban" data-testid="kanban">
      {error ? (
        <p className="field-error" role="alert" data-testid="board-error">
          {error}
        </p>
      ) : null}
      <div className="kanban-columns">
        {columns.map((col) => (
          <section
            key={col.id}
            className={`kanban-column kind-${col.kind}${over === col.id ? ' over' : ''}`}
            data-testid="board-column"
            data-stage-id={col.id}
            data-stage-name={col.name}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(col.id);
            }}
            onDragLeave={() => setOver((o) => (o === col.id ? null : o))}
            onDrop={(e) => drop(e, col.id, col.leads.length)}
          >
            <header>
              <h3>{col.name}</h3>
              <span className="muted" data-testid="column-count">
                {col.count}
              </span>
              <span className="column-total" data-testid="column-total">
                {col.total} {currency}
              </span>
            </header>
            <ol>
              {col.leads.map((lead, i) => (
                <LeadCard key={lead.id} lead={lead} owner={lead.ownerId ? ownerNames[lead.ownerId] : undefined} onDrop={(e) => drop(e, col.id, i)} />
              ))}
            </ol>
          </section>
        ))}
      </div>
    </div>
  );
}

function LeadCard({ lead, owner, onDrop }: { lead: Lead; owner?: string; onDrop: (e: DragEvent) => void }) {
  return (
    <li
      className="lead-card"
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, lead.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
      data-testid="lead-card"
      data-lead-id={lead.id}
    >
      <strong>{lead.title}</strong>
      <span className="muted">{lead.contact.name ?? 'Unnamed contact'}</span>
      <span>
        {lead.value ? `${lead.value} ${lead.currency}` : null}
        {owner ? <span className="muted"> · {owner}</span> : null}
      </span>
      {lead.tags.length ? <span className="lead-tags">{lead.tags.map((t) => `#${t}`).join(' ')}</span> : null}
    </li>
  );
}
