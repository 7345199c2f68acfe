import { useFetcher, useNavigate, useParams } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { shortcutFor, shortcuts, stepIndex, type ShortcutAction } from './keyboard-map';

/** Ids the shortcuts reach for; other views promise them (the reply box is the conversation view's). */
export const SEARCH_INPUT_ID = 'inbox-search';
export const REPLY_INPUT_ID = 'reply-input';
const ROW_SELECTOR = '[data-testid="conversation-row"]';
const LIST_SELECTOR = '[data-testid="conversation-list"]';

/**
 * The inbox's keyboard shortcuts (see keyboard-map.ts) and their help dialog. Rows are read from
 * the DOM at key-press time, so "next" follows exactly what is on screen, extra pages included.
 */
export function InboxShortcuts() {
  const navigate = useNavigate();
  const { conversationId } = useParams();
  const assign = useFetcher<{ intent?: string; error?: string | null }>();
  const [helpOpen, setHelpOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const state = useRef({ helpOpen, conversationId });
  state.current = { helpOpen, conversationId };

  useEffect(() => {
    const run = (action: ShortcutAction) => {
      switch (action) {
        case 'next':
        case 'previous':
          return step(action);
        case 'reply':
          return focus(REPLY_INPUT_ID, false) || setNotice('Open a conversation to reply.');
        case 'search':
          return focus(SEARCH_INPUT_ID, true);
        case 'help':
          return setHelpOpen(true);
        case 'close-help':
          return setHelpOpen(false);
        case 'assign-me': {
          const id = state.current.conversationId;
          if (!id) return setNotice('Open a conversation to assign it.');
          setNotice('Assigning to you…');
          return assign.submit({ intent: 'assign-me' }, { method: 'post', action: `/inbox/${encodeURIComponent(id)}` });
        }
      }
    };
    const step = (action: 'next' | 'previous') => {
      const rows = [...document.querySelectorAll<HTMLAnchorElement>(ROW_SELECTOR)];
      const current = rows.findIndex((row) => row.getAttribute('aria-current') === 'page');
      const index = stepIndex(current, rows.length, action);
      const row = index === null ? undefined : rows[index];
      if (!row) return;
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: 'nearest' });
      navigate(row.getAttribute('href') ?? '/inbox');
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        targetTag: target?.tagName ?? '',
        targetEditable: target?.isContentEditable ?? false,
        inList: Boolean(target?.closest(LIST_SELECTOR)),
        helpOpen: state.current.helpOpen,
      });
      if (!action) return;
      event.preventDefault();
      run(action);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
    // `assign.submit` is stable; everything else is read through the ref.
  }, [navigate, assign.submit]);

  const result = assign.state === 'idle' ? assign.data : undefined;
  useEffect(() => {
    if (result?.intent !== 'assign-me') return;
    setNotice(result.error ? `Could not assign: ${result.error}` : 'Assigned to you.');
  }, [result]);
  useEffect(() => {
    if (!notice || notice.endsWith('…')) return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  return (
    <>
      <p className="shortcut-notice" role="status" aria-live="polite" data-testid="shortcut-notice" hidden={!notice}>
        {notice}
      </p>
      <button type="button" className="shortcut-hint button ghost" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts" data-testid="shortcut-help-button">
        <kbd>?</kbd>
      </button>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}

/** Focuses a field; the search text is selected so typing replaces it, a reply draft is kept. */
function focus(id: string, select: boolean): boolean {
  const element = document.getElementById(id);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) return false;
  element.focus();
  if (select) element.select();
  return true;
}

function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    // A native modal dialog: focus is trapped inside, and Escape closes it (its `close` event).
    <dialog ref={dialog} className="shortcut-help" aria-labelledby="shortcut-help-title" onClose={onClose} data-testid="shortcut-help">
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <dl>
        {shortcuts.map((s) => (
          <div key={s.action} className="shortcut">
            <dt>
              {s.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" className="button" data-testid="shortcut-help-close">
          Close
        </button>
      </form>
    </dialog>
  );
}
