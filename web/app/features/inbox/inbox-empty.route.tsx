export default function InboxEmptyRoute() {
  return (
    <div className="pane-empty muted" data-testid="no-conversation-selected">
      Select a conversation to read it.
    </div>
  );
}
