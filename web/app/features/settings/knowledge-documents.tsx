import { useFetcher } from '@remix-run/react';
import { Time } from '~/shared/time';
import { FormStatus, type Outcome } from './form-bits';
import type { KbDocument } from './knowledge-api.server';

/** The documents with their indexing state: a bar while chunks are embedded, the error if it failed. */
export function DocumentList({ documents, mayManage }: { documents: KbDocument[]; mayManage: boolean }) {
  return (
    <section className="settings-card" aria-labelledby="documents-heading">
      <h3 id="documents-heading">Documents ({documents.length})</h3>
      {documents.length === 0 ? <p className="muted">No documents yet.</p> : null}
      <ul className="connection-list" data-testid="kb-documents">
        {documents.map((doc) => (
          <DocumentRow key={doc.id} doc={doc} mayManage={mayManage} />
        ))}
      </ul>
    </section>
  );
}

function DocumentRow({ doc, mayManage }: { doc: KbDocument; mayManage: boolean }) {
  const fetcher = useFetcher<Outcome>();
  const busy = fetcher.state !== 'idle';
  return (
    <li className="connection-card" data-testid="kb-document" data-title={doc.title} data-status={doc.status}>
      <div className="team-head">
        <strong>{doc.title}</strong>
        <span className="badge">{doc.format}</span>
        <span className={`badge kb-${doc.status}`} data-testid="kb-doc-status">
          {doc.status}
        </span>
        <span className="muted small">
          {doc.chunkCount} chunks · updated <Time value={doc.updatedAt} withDate />
        </span>
        <span className="spacer" />
        {mayManage ? (
          <fetcher.Form method="post" className="button-row">
            <input type="hidden" name="documentId" value={doc.id} />
            <button type="submit" name="intent" value="reindex" className="button" disabled={busy || doc.status === 'indexing'} data-testid="kb-reindex">
              Re-index
            </button>
            <button type="submit" name="intent" value="delete" className="button danger" disabled={busy} data-testid="kb-delete">
              Delete
            </button>
          </fetcher.Form>
        ) : null}
      </div>
      {doc.status === 'indexing' ? (
        <span className="upload-progress">
          <progress max={doc.chunksTotal || 1} value={doc.chunksDone} aria-label={`Indexing ${doc.title}`} data-testid="kb-index-progress" />
          <span className="muted small">
            Indexing {doc.chunksDone} of {doc.chunksTotal || '…'} chunks
          </span>
        </span>
      ) : null}
      {doc.status === 'failed' && doc.error ? <p className="form-error">{doc.error}</p> : null}
      <FormStatus outcome={fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? fetcher.data : undefined} testId="kb-document-error" />
    </li>
  );
}
