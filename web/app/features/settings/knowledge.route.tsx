import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useFetcher, useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, invalid, runAction } from './action-result.server';
import { FieldError, FormStatus, ReadOnlyNote, type Outcome } from './form-bits';
import { knowledgeApi } from './knowledge-api.server';
import { DocumentList } from './knowledge-documents';
import { KnowledgeUpload } from './knowledge-upload';
import { can } from './permissions';

export const meta: MetaFunction = () => [{ title: 'Knowledge base · Settings · Switchboard' }];

const POLL_MS = 1500;

export async function loader({ request }: LoaderFunctionArgs) {
  return unwrap(await withAuth(request, (token) => knowledgeApi.list(token)));
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  const id = formString(form, 'documentId');
  if (intent === 'reindex') return runAction(request, intent, (token) => knowledgeApi.reindex(token, id), 'Re-indexing.');
  if (intent === 'delete') return runAction(request, intent, (token) => knowledgeApi.remove(token, id), 'Deleted.');
  if (intent === 'paste') {
    const title = formString(form, 'title');
    const content = formString(form, 'content');
    if (!title) return invalid(intent, 'title', 'Give the document a title.');
    if (!content) return invalid(intent, 'content', 'Paste the text to add.');
    return runAction(request, intent, (token) => knowledgeApi.create(token, { title, format: formString(form, 'format') || 'markdown', content }), `Added ${title}.`);
  }
  return invalid(intent, 'intent', `Unknown action "${intent}".`);
}

export default function KnowledgeSettings() {
  const { documents } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayManage = can(viewer.role, 'knowledge:manage');
  const revalidator = useRevalidator();
  const indexing = documents.some((d) => d.status === 'indexing');

  // Indexing runs in a workflow; poll the list until every document has settled.
  useEffect(() => {
    if (!indexing) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle' && document.visibilityState === 'visible') revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [indexing, revalidator]);

  return (
    <div className="settings-page" data-testid="settings-knowledge">
      <header className="settings-header">
        <h2>Knowledge base</h2>
        <p className="muted">Documents the assistant searches to answer questions, and cites in its replies.</p>
      </header>
      {mayManage ? (
        <>
          <KnowledgeUpload />
          <PasteForm />
        </>
      ) : (
        <ReadOnlyNote role={viewer.role} what="the knowledge base" />
      )}
      <DocumentList documents={documents} mayManage={mayManage} />
    </div>
  );
}

function PasteForm() {
  const fetcher = useFetcher<Outcome>();
  const formRef = useRef<HTMLFormElement>(null);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  useEffect(() => {
    if (outcome?.ok) formRef.current?.reset();
  }, [outcome]);
  return (
    <details className="settings-card">
      <summary>Or paste text</summary>
      <fetcher.Form method="post" ref={formRef} className="stack-form" data-testid="kb-paste-form">
        <input type="hidden" name="intent" value="paste" />
        <div className="form-grid">
          <label className="field">
            <span>Title</span>
            <input name="title" required maxLength={200} data-testid="kb-paste-title" />
            <FieldError outcome={outcome} name="title" />
          </label>
          <label className="field">
            <span>Format</span>
            <select name="format" defaultValue="markdown">
              <option value="markdown">Markdown</option>
              <option value="text">Plain text</option>
              <option value="html">HTML</option>
            </select>
          </label>
        </div>
        <label className="field">
          <span>Content</span>
          <textarea name="content" rows={8} required data-testid="kb-paste-content" />
          <FieldError outcome={outcome} name="content" />
        </label>
        <div className="button-row">
          <button type="submit" className="button primary" disabled={fetcher.state !== 'idle'} data-testid="kb-paste-save">
            Add document
          </button>
        </div>
        <FormStatus outcome={outcome} testId="kb-paste-status" />
      </fetcher.Form>
    </details>
  );
}
