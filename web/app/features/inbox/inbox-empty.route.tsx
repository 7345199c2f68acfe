export default function InboxEmptyRoute() {
  return (
    <div className="pane-empty muted" data-testid="no-conversation-selected">
      <p>Select a conversation to read it.</p>
      <p className="small">
        <kbd className="key">j</kbd>
        <kbd className="key">k</kbd> move through the list, <kbd className="key">/</kbd> searches,{' '}
        <kbd className="key">?</kbd> shows every shortcut.
      </p>
    </div>
  );
}
