import { Fragment } from 'react';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Note text with each `@Name` of a mentioned user highlighted; everything else is plain text. */
export function MentionText({ content, names }: { content: string; names: string[] }) {
  const usable = names.filter(Boolean).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return <>{content}</>;
  // Longest first, so "@Ann Lee" wins over "@Ann".
  const pattern = new RegExp(`(@(?:${usable.map(escape).join('|')}))`, 'g');
  return (
    <>
      {content.split(pattern).map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="mention" data-testid="mention">
            {part}
          </mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
