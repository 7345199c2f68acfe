import { useEffect, useRef } from 'react';
import { ActionError, useConversationAction } from './use-conversation-action';

const HOUR = 60 * 60 * 1000;

/** Times are worked out in the viewer's own time zone, when the option is picked. */
function tomorrowAt9(now = new Date()): Date {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

function nextMondayAt9(now = new Date()): Date {
  const d = new Date(now);
  const days = ((8 - d.getDay()) % 7) || 7;
  d.setDate(d.getDate() + days);
  d.setHours(9, 0, 0, 0);
  return d;
}

const OPTIONS: Array<{ id: string; label: string; until: () => string }> = [
  { id: '1h', label: 'For 1 hour', until: () => new Date(Date.now() + HOUR).toISOString() },
  { id: 'tomorrow', label: 'Until tomorrow, 9:00', until: () => tomorrowAt9().toISOString() },
  { id: 'next-week', label: 'Until next week (Monday, 9:00)', until: () => nextMondayAt9().toISOString() },
  { id: 'customer-reply', label: 'Until the customer replies', until: () => 'customer-reply' },
];

export function SnoozeMenu({ snoozed }: { snoozed: boolean }) {
  const { busy, pendingIntent, error, post } = useConversationAction();
  const menu = useRef<HTMLDetailsElement>(null);
  // A <details> menu stays open on its own; close it on a click elsewhere or Escape, as menus do.
  useEffect(() => {
    const close = (event: Event) => {
      const el = menu.current;
      if (!el?.open) return;
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !el.contains(event.target as Node)) el.open = false;
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  const pick = (until: string) => {
    if (menu.current) menu.current.open = false;
    post({ intent: 'snooze', until });
  };
  return (
    <div className="menu-wrap">
      <details className="menu" ref={menu}>
        <summary className="button" data-testid="snooze-menu" aria-label="Snooze" aria-disabled={busy}>
          {pendingIntent === 'snooze' ? 'Snoozing…' : 'Snooze ▾'}
        </summary>
        <div className="menu-list" role="menu" aria-label="Snooze until">
          {OPTIONS.map((o) => (
            <button key={o.id} type="button" role="menuitem" className="menu-item" disabled={busy} onClick={() => pick(o.until())} data-testid={`snooze-${o.id}`}>
              {o.label}
            </button>
          ))}
          {snoozed ? (
            <button type="button" role="menuitem" className="menu-item" disabled={busy} onClick={() => post({ intent: 'unsnooze' })} data-testid="unsnooze">
              Wake it now
            </button>
          ) : null}
        </div>
      </details>
      <ActionError error={error} testId="snooze-error" />
    </div>
  );
}
