import { CATEGORY_LABELS, NODE_KINDS, type Category } from './node-catalog';

export const DRAG_TYPE = 'application/x-switchboard-step';

/** The steps by category: drag one onto the canvas, or click it to add it below the selected step. */
export function Palette({ hasTrigger, onAdd, disabled }: { hasTrigger: boolean; onAdd: (type: string) => void; disabled: boolean }) {
  return (
    <nav className="palette" aria-label="Steps" data-testid="palette">
      {(Object.keys(CATEGORY_LABELS) as Category[]).map((category) => (
        <section key={category}>
          <h4>{CATEGORY_LABELS[category]}</h4>
          <ul>
            {NODE_KINDS.filter((k) => k.category === category).map((k) => {
              const off = disabled || (category === 'trigger' && hasTrigger);
              return (
                <li key={k.type}>
                  <button
                    type="button"
                    className={`palette-item cat-${category}`}
                    draggable={!off}
                    disabled={off}
                    title={category === 'trigger' && hasTrigger ? 'An automation has one trigger' : `Add "${k.label}"`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_TYPE, k.type);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onClick={() => onAdd(k.type)}
                    data-testid={`palette-${k.type}`}
                  >
                    {k.label}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </nav>
  );
}
