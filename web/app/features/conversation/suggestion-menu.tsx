export interface Suggestion {
  id: string;
  title: string;
  detail?: string;
}

interface MenuProps {
  id: string;
  label: string;
  items: Suggestion[];
  active: number;
  onPick: (index: number) => void;
  testId: string;
  empty: string;
}

/**
 * The pop-up list under the reply box. Focus stays in the textarea (aria-activedescendant), so
 * typing keeps filtering while the arrows move the highlight.
 */
export function SuggestionMenu({ id, label, items, active, onPick, testId, empty }: MenuProps) {
  return (
    <div className="suggestions" data-testid={testId}>
      {items.length === 0 ? (
        <p className="muted small suggestion-empty">{empty}</p>
      ) : (
        <ul id={id} role="listbox" aria-label={label}>
          {items.map((item, i) => (
            <li
              key={item.id}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'suggestion active' : 'suggestion'}
              data-testid={`${testId}-item`}
              // mousedown, not click: a click would blur the textarea first and close the menu.
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(i);
              }}
            >
              <span className="suggestion-title">{item.title}</span>
              {item.detail ? <span className="suggestion-detail muted">{item.detail}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const activeOptionId = (id: string, items: unknown[], active: number) => (items.length ? `${id}-${active}` : undefined);
