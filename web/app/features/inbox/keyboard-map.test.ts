import { describe, expect, it } from 'vitest';
import { shortcutFor, stepIndex, type KeyPress } from './keyboard-map';

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  targetTag: 'BODY',
  targetEditable: false,
  inList: false,
  helpOpen: false,
  ...over,
});

describe('inbox shortcuts', () => {
  it('maps the letters', () => {
    expect(['j', 'k', 'r', 'a', '/', '?'].map((k) => shortcutFor(press(k)))).toEqual(['next', 'previous', 'reply', 'assign-me', 'search', 'help']);
    expect(shortcutFor(press('x'))).toBeNull();
  });

  it('ignores keys while typing and with modifiers', () => {
    for (const targetTag of ['INPUT', 'TEXTAREA', 'SELECT']) expect(shortcutFor(press('j', { targetTag }))).toBeNull();
    expect(shortcutFor(press('a', { targetTag: 'DIV', targetEditable: true }))).toBeNull();
    expect(shortcutFor(press('r', { metaKey: true }))).toBeNull();
    expect(shortcutFor(press('k', { ctrlKey: true }))).toBeNull();
  });

  it('moves with arrows only inside the list', () => {
    expect(shortcutFor(press('ArrowDown'))).toBeNull();
    expect(shortcutFor(press('ArrowDown', { inList: true }))).toBe('next');
    expect(shortcutFor(press('ArrowUp', { inList: true, targetTag: 'A' }))).toBe('previous');
  });

  it('lets only Escape through while the help dialog is open', () => {
    expect(shortcutFor(press('j', { helpOpen: true }))).toBeNull();
    expect(shortcutFor(press('Escape', { helpOpen: true }))).toBe('close-help');
    expect(shortcutFor(press('Escape', { helpOpen: true, targetTag: 'BUTTON' }))).toBe('close-help');
    expect(shortcutFor(press('Escape'))).toBeNull();
  });

  it('steps through rows without wrapping', () => {
    expect(stepIndex(-1, 3, 'next')).toBe(0);
    expect(stepIndex(-1, 3, 'previous')).toBe(2);
    expect(stepIndex(1, 3, 'next')).toBe(2);
    expect(stepIndex(2, 3, 'next')).toBeNull();
    expect(stepIndex(0, 3, 'previous')).toBeNull();
    expect(stepIndex(-1, 0, 'next')).toBeNull();
  });
});
