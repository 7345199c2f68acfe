import { useState } from 'react';
import { ActionError, useConversationAction } from './use-conversation-action';

/** Label chips; each change posts the whole new list, so two quick edits cannot interleave. */
export function LabelEditor({ labels }: { labels: string[] }) {
  const { fetcher, busy, error, post } = useConversationAction();
  const [draft, setDraft] = useState('');
  // While a change is in flight, show the list it will produce.
  const shown = busy && fetcher.formData?.get('intent') === 'labels' ? fetcher.formData.getAll('label').map(String) : labels;

  const save = (next: string[]) => post({ intent: 'labels', label: next.length ? next : [] });
  const add = () => {
    const label = draft.trim().toLowerCase();
    setDraft('');
    if (label && !shown.includes(label)) save([...shown, label]);
  };

  return (
    <div className="labels" data-testid="labels">
      <ul className="label-chips" aria-label="Labels">
        {shown.map((label) => (
          <li key={label} className="label-chip" data-testid="label-chip" data-label={label}>
            <span>{label}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove label ${label}`}
              disabled={busy}
              onClick={() => save(shown.filter((l) => l !== label))}
              data-testid="label-remove"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        className="label-input"
        value={draft}
        maxLength={40}
        placeholder="+ label"
        aria-label="Add a label (Enter to add)"
        data-testid="label-input"
        onChange={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={() => draft.trim() && add()}
      />
      <ActionError error={error} testId="labels-error" />
    </div>
  );
}
