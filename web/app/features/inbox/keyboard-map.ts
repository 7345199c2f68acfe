/**
 * The inbox's keyboard shortcuts as data: which key does what, and when a key press is ignored.
 * Kept free of React and the DOM beyond a few fields of the event, so it can be unit tested.
 */
export type ShortcutAction = 'next' | 'previous' | 'reply' | 'assign-me' | 'search' | 'help' | 'close-help';

export interface Shortcut {
  keys: string[];
  action: ShortcutAction;
  description: string;
}

/** Shown in the help dialog, in this order. */
export const shortcuts: Shortcut[] = [
  { keys: ['j', '↓'], action: 'next', description: 'Next conversation' },
  { keys: ['k', '↑'], action: 'previous', description: 'Previous conversation' },
  { keys: ['r'], action: 'reply', description: 'Reply to the open conversation' },
  { keys: ['a'], action: 'assign-me', description: 'Assign the open conversation to me' },
  { keys: ['/'], action: 'search', description: 'Search conversations' },
  { keys: ['?'], action: 'help', description: 'Show these shortcuts' },
  { keys: ['Esc'], action: 'close-help', description: 'Close this dialog' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The focused element's tag name (upper case), e.g. INPUT. */
  targetTag: string;
  targetEditable: boolean;
  /** Whether focus is inside the conversation list: arrows only move there, like a listbox. */
  inList: boolean;
  helpOpen: boolean;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

const LETTERS: Record<string, ShortcutAction> = {
  j: 'next',
  k: 'previous',
  r: 'reply',
  a: 'assign-me',
  '/': 'search',
  '?': 'help',
};

/** The action for a key press, or null to let the browser handle it. */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (press.key === 'Escape') return press.helpOpen ? 'close-help' : null;
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (TYPING_TAGS.has(press.targetTag) || press.targetEditable) return null;
  // While the help dialog is open only it reacts, so nothing changes behind it.
  if (press.helpOpen) return null;
  if (press.inList && press.key === 'ArrowDown') return 'next';
  if (press.inList && press.key === 'ArrowUp') return 'previous';
  return LETTERS[press.key] ?? null;
}

/**
 * The row index to go to. With none open, "next" starts at the top and "previous" at the bottom;
 * at either end it stays put rather than wrapping, as mail clients do.
 */
export function stepIndex(current: number, count: number, action: 'next' | 'previous'): number | null {
  if (count === 0) return null;
  if (current < 0) return action === 'next' ? 0 : count - 1;
  const next = action === 'next' ? current + 1 : current - 1;
  return next < 0 || next >= count ? null : next;
}
