import { ChatSession, type ChatSnapshot } from './chat-session.js';
import { ChatView } from './chat-view.js';
import type { PrechatDetails } from './prechat.js';
import type { WidgetConfig } from './script-config.js';
import { SessionStore } from './session-store.js';

/**
 * Glue between the page, the session and the view: open/close, the unread badge, and the browser's
 * online signal. Everything about messages lives in ChatSession.
 */
export class ChatController {
  private readonly session: ChatSession;
  private readonly view: ChatView;
  private readonly settingsReady: Promise<void>;
  /** liveReplies at the last moment the visitor was looking at the panel. */
  private repliesSeen = 0;
  private lastCount = 0;

  constructor(config: WidgetConfig, doc: Document) {
    this.session = new ChatSession({ config, store: new SessionStore(config.widgetKey) });
    this.view = new ChatView(doc, {
      onToggle: (open) => this.setOpen(open),
      onSend: (text) => this.session.send(text),
      onRetry: (id) => this.session.retry(id),
      onPrechat: (details) => void this.prechat(details),
    });
    this.settingsReady = this.session.loadSettings();
    this.session.subscribe((s) => this.render(s));
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.view.host);
    // Returning visitors reconnect at once, so replies that arrive while the panel is closed raise the
    // unread badge; first-time visitors get a session (and a CRM contact) only when they open chat.
    if (this.session.hasSession) void this.settingsReady.then(() => this.session.start());
    window.addEventListener('online', () => this.session.online());
  }

  setOpen(open: boolean): void {
    this.view.setOpen(open);
    if (!open) return;
    this.repliesSeen = this.session.snapshot().liveReplies;
    this.view.setUnread(0);
    // The pre-chat decision needs the workspace's settings.
    void this.settingsReady.then(() => this.session.start());
  }

  private async prechat(details: PrechatDetails): Promise<void> {
    this.view.showPrechatErrors([], true);
    const errors = await this.session.submitPrechat(details);
    this.view.showPrechatErrors(errors, false);
  }

  private render(s: ChatSnapshot): void {
    if (this.view.isOpen) this.repliesSeen = s.liveReplies;
    else this.view.setUnread(s.liveReplies - this.repliesSeen);
    // Follow the conversation when something was added, e.g. the visitor's own message.
    const grew = s.items.length > this.lastCount;
    this.lastCount = s.items.length;
    this.view.render(s, { forceScroll: grew && s.items[s.items.length - 1]?.direction === 'inbound' });
  }
}
