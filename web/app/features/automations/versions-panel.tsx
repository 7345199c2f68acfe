import { useState } from 'react';
import type { Version } from './automation-types';

/** Publish the draft with a note; earlier versions, and rolling back to one. */
export function VersionsPanel({ versions, canPublish, busy, readOnly, onPublish, onRollback }: {
  versions: Version[];
  canPublish: boolean;
  busy: boolean;
  readOnly: boolean;
  onPublish: (note: string) => void;
  onRollback: (versionId: string) => void;
}) {
  const [note, setNote] = useState('');
  return (
    <section className="versions-panel" data-testid="versions-panel">
      {readOnly ? null : (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            onPublish(note);
            setNote('');
          }}
        >
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="What changed (optional)" data-testid="publish-note" />
          <button type="submit" disabled={!canPublish || busy} data-testid="publish">
            Publish
          </button>
        </form>
      )}
      <ol className="version-list">
        {versions.map((v) => (
          <li key={v.id} data-testid="version" data-active={v.active || undefined}>
            <strong>v{v.version}</strong> {v.active ? <span className="badge">active</span> : null} <span className="muted">{new Date(v.publishedAt).toLocaleString()}</span>
            {v.note ? <span> · {v.note}</span> : null}
            {!v.active && !readOnly ? (
              <button type="button" className="link" onClick={() => onRollback(v.id)} disabled={busy} data-testid="rollback">
                Roll back to this
              </button>
            ) : null}
          </li>
        ))}
        {versions.length === 0 ? <li className="muted">Not published yet.</li> : null}
      </ol>
    </section>
  );
}
