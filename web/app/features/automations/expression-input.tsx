import { useRef, useState } from 'react';

/**
 * A text field for templates: typing `{{` offers the references available at this step (the
 * trigger's fields, the contact's, and earlier steps' outputs); picking one completes it.
 */
export function ExpressionInput({
  value,
  onChange,
  references,
  multiline,
  placeholder,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  references: string[];
  multiline?: boolean;
  placeholder?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const before = caret === null ? '' : value.slice(0, caret);
  const open = /\{\{\s*([\w.[\]-]*)$/.exec(before);
  const typed = open?.[1] ?? '';
  const suggestions = open ? references.filter((r) => r.toLowerCase().includes(typed.toLowerCase())).slice(0, 12) : [];

  const pick = (reference: string) => {
    if (!open || caret === null) return;
    const start = caret - open[0].length;
    const after = value.slice(caret).replace(/^[\w.[\]-]*\s*(\}\})?/, '');
    const next = `${value.slice(0, start)}{{${reference}}}${after}`;
    onChange(next);
    setCaret(null);
    requestAnimationFrame(() => ref.current?.focus());
  };
  const props = {
    ref,
    value,
    placeholder,
    'data-testid': testId,
    onChange: (e: { target: { value: string; selectionStart: number | null } }) => {
      onChange(e.target.value);
      setCaret(e.target.selectionStart);
    },
    onKeyUp: (e: { currentTarget: { selectionStart: number | null } }) => setCaret(e.currentTarget.selectionStart),
    onBlur: () => setTimeout(() => setCaret(null), 150),
  };
  return (
    <span className="expression-input">
      {multiline ? <textarea rows={3} {...props} /> : <input {...props} />}
      {suggestions.length ? (
        <ul className="expression-suggestions" role="listbox" data-testid="expression-suggestions">
          {suggestions.map((s) => (
            <li key={s}>
              <button type="button" onMouseDown={(e) => (e.preventDefault(), pick(s))} data-testid="expression-suggestion">
                {s}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}
