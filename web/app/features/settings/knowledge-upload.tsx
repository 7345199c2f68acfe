import { useRevalidator } from '@remix-run/react';
import { useRef, useState, type FormEvent } from 'react';
import { FieldError, FormStatus, type Outcome } from './form-bits';

type Phase = { state: 'idle' } | { state: 'uploading'; loaded: number; total: number } | { state: 'done'; outcome: Outcome };

/**
 * Uploads a document with XHR rather than fetch, because only XHR reports upload progress. The
 * indexing that follows is shown by the document list, which polls until it is ready.
 */
export function KnowledgeUpload() {
  const [phase, setPhase] = useState<Phase>({ state: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const revalidator = useRevalidator();

  function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/settings/knowledge/upload');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => setPhase({ state: 'uploading', loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onload = () => {
      const outcome = xhr.response as Outcome | null;
      if (!outcome || typeof outcome !== 'object') {
        setPhase({ state: 'done', outcome: { ok: false, intent: 'upload', error: 'Your session has expired: reload the page and sign in again.' } });
        return;
      }
      setPhase({ state: 'done', outcome });
      if (outcome.ok) {
        formRef.current?.reset();
        revalidator.revalidate();
      }
    };
    xhr.onerror = () => setPhase({ state: 'done', outcome: { ok: false, intent: 'upload', error: 'The upload failed: check your connection and try again.' } });
    setPhase({ state: 'uploading', loaded: 0, total: 0 });
    xhr.send(new FormData(form));
  }

  const uploading = phase.state === 'uploading';
  const percent = uploading ? (phase.total ? Math.round((phase.loaded / phase.total) * 100) : 0) : phase.state === 'done' && phase.outcome.ok ? 100 : 0;
  const outcome = phase.state === 'done' ? phase.outcome : undefined;

  return (
    <form ref={formRef} onSubmit={upload} className="settings-card stack-form" data-testid="kb-upload-form" encType="multipart/form-data">
      <h3>Upload a document</h3>
      <p className="muted">Markdown, plain text or HTML, up to about 200,000 characters. Larger sources work best split into several documents.</p>
      <div className="form-grid">
        <label className="field">
          <span>File</span>
          <input type="file" name="file" accept=".md,.markdown,.txt,.html,.htm,text/markdown,text/plain,text/html" required data-testid="kb-file" />
          <FieldError outcome={outcome} name="file" testId="kb-file-error" />
          <FieldError outcome={outcome} name="format" testId="kb-format-error" />
        </label>
        <label className="field">
          <span>Title (optional)</span>
          <input name="title" maxLength={200} placeholder="The file name without its extension" data-testid="kb-title" />
          <FieldError outcome={outcome} name="title" />
        </label>
      </div>
      <div className="button-row upload-row">
        <button type="submit" className="button primary" disabled={uploading} data-testid="kb-upload">
          {uploading ? 'Uploading…' : 'Upload'}
        </button>
        {phase.state !== 'idle' ? (
          <span className="upload-progress">
            <progress max={100} value={percent} aria-label="Upload progress" data-testid="kb-progress" />
            <span className="muted small" data-testid="kb-progress-label">
              {uploading ? `${percent}%` : outcome?.ok ? 'Uploaded' : 'Not uploaded'}
            </span>
          </span>
        ) : null}
      </div>
      <FormStatus outcome={outcome} testId="kb-upload-status" />
    </form>
  );
}
