/**
 * The draft left once a send succeeded. The box stays editable while sending, so anything typed
 * meanwhile (after the sent text) is kept; a draft edited in ways other than appending is kept
 * whole rather than guessed at.
 */
export function draftAfterSend(current: string, sent: string): string {
  if (!current.startsWith(sent)) return current;
  const rest = current.slice(sent.length);
  return rest.trim() ? rest.replace(/^\s+/, '') : '';
}
