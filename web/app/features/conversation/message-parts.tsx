import type { Message } from '~/api.server';

type Attachment = NonNullable<Message['attachments']>[number];
type Citation = NonNullable<Message['citations']>[number];

function size(bytes?: number): string {
  if (!bytes) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Only web links open: a provider storage key or a data: URL is shown, never followed. */
const isWebUrl = (url?: string) => !!url && /^https?:\/\//i.test(url);

export function Attachments({ items }: { items: Attachment[] }) {
  return (
    <ul className="attachments" aria-label="Attachments" data-testid="attachments">
      {items.map((a, i) => {
        const name = a.filename || a.contentType || 'attachment';
        const detail = [a.contentType, size(a.size)].filter(Boolean).join(' · ');
        return (
          <li key={i} className="attachment" data-testid="attachment">
            {isWebUrl(a.url) ? (
              <a href={a.url} target="_blank" rel="noreferrer noopener">
                {name}
              </a>
            ) : (
              <span>{name}</span>
            )}
            {detail && detail !== name ? <span className="muted"> ({detail})</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The knowledge-base passages an AI reply was grounded on. */
export function Citations({ items }: { items: Citation[] }) {
  const seen = new Set<string>();
  const unique = items.filter((c) => !seen.has(c.documentId) && seen.add(c.documentId));
  return (
    <div className="citations" data-testid="citations">
      <span className="muted">Sources: </span>
      {unique.map((c, i) => (
        <span key={c.documentId} className="citation" title={`Document ${c.documentId}, passage ${c.chunkId}`}>
          {i > 0 ? ', ' : ''}
          {c.title || 'Untitled document'}
        </span>
      ))}
    </div>
  );
}
