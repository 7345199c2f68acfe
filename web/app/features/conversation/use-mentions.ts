import { useMemo, useState } from 'react';
import type { WorkspaceUser } from './conversation-api.server';
import type { Suggestion } from './suggestion-menu';

const TRIGGER = /(^|\s)@([^\s@]{0,30})$/;

/** The `@name` picker of a private note, and which users the finished note mentions. */
export function useMentions(value: string, caret: number, users: WorkspaceUser[], enabled: boolean) {
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const match = enabled ? TRIGGER.exec(value.slice(0, caret)) : null;
  const query = match?.[2];
  const key = `${caret}:${value}`;

  const matches = useMemo(() => {
    if (query === undefined) return [];
    const q = query.toLowerCase();
    return users.filter((u) => (u.name || '').toLowerCase().includes(q) || u.email.toLowerCase().includes(q)).slice(0, 8);
  }, [query, users]);
  const items: Suggestion[] = matches.map((u) => ({ id: u.id, title: u.name || u.email, detail: u.email }));
  const index = Math.min(active, Math.max(items.length - 1, 0));

  return {
    open: query !== undefined && dismissedAt !== key,
    items,
    active: index,
    move: (delta: number) => setActive((i) => (items.length ? (i + delta + items.length) % items.length : 0)),
    dismiss: () => setDismissedAt(key),
    /** Replaces the `@query` before the caret with the user's name; returns the new text and caret. */
    pick: (i: number): { value: string; caret: number } | null => {
      const user = matches[i];
      if (!user || query === undefined) return null;
      const name = user.name || user.email;
      const start = caret - query.length - 1;
      const inserted = `@${name} `;
      setPicked((p) => ({ ...p, [user.id]: name }));
      setActive(0);
      return { value: value.slice(0, start) + inserted + value.slice(caret), caret: start + inserted.length };
    },
    /** The users still named in the text; a mention deleted from the text is no mention. */
    mentionedIds: (text: string) => Object.entries(picked).filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id),
    mentionedNames: (text: string) => Object.values(picked).filter((name) => text.includes(`@${name}`)),
    reset: () => setPicked({}),
  };
}
