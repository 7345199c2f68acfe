import type { Conversation } from '~/api.server';
import { Time } from '~/shared/time';
import { whatsappWindow } from './whatsapp-window';

const SOON_MS = 2 * 60 * 60 * 1000;

/**
 * Outside the window WhatsApp refuses free-form text: the channel sends the connection's approved
 * template instead, or refuses the send when none is configured. Say so before the agent types.
 */
export function WindowWarning({ conversation }: { conversation: Conversation }) {
  const window = whatsappWindow(conversation);
  if (!window) return null;
  if (window.open) {
    const left = window.closesAt ? Date.parse(window.closesAt) - Date.now() : Infinity;
    if (left > SOON_MS) return null;
    return (
      <p className="window-note" data-testid="window-closing">
        The WhatsApp 24-hour window closes at <Time value={window.closesAt} withDate />.
      </p>
    );
  }
  return (
    <div className="window-warning" role="alert" data-testid="window-warning">
      <strong>Outside WhatsApp’s 24-hour window</strong>
      {window.closesAt ? (
        <>
          {' '}
          (closed <Time value={window.closesAt} withDate />)
        </>
      ) : null}
      . Free-form text cannot be delivered now: your reply goes out as the channel’s approved template, or is refused if none is
      set up. The window reopens when the customer writes.
    </div>
  );
}
