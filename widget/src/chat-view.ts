import type { TimelineItem } from './message-timeline.js';
import { WIDGET_CSS } from './styles.js';
import type { AuthorRole } from './widget-api.js';

export interface ChatViewHandlers {
  onToggle(open: boolean): void;
  onSend(text: string): void;
  onRetry(clientMessageId: string): void;
  onIdentify(email: string): void;
}

const AUTHOR_LABELS: Record<AuthorRole, string> = { customer: 'You', ai: 'AI', agent: 'Agent', system: '' };

// Static markup only: every piece of visitor or server text goes in through textContent.
const TEMPLATE = `
<section class="panel" data-testid="widget-panel" role="dialog" aria-label="Chat" hidden>
  <header>
    <div class="title-row">
      <div>
        <p class="title">Chat with us</p>
        <p class="subtitle">Ask anything, we usually reply within minutes.</p>
      </div>
      <button type="button" class="close" data-testid="widget-close" aria-label="Close chat">&times;</button>
    </div>
    <form class="identify" data-testid="widget-email-form" novalidate>
      <input type="email" name="email" autocomplete="email" placeholder="Email for replies (optional)"
        aria-label="Your email" data-testid="widget-email-input" required>
      <button type="submit" data-testid="widget-email-submit">Save</button>
    </form>
    <p class="identified" data-testid="widget-email-status" hidden></p>
    <p class="form-error" data-testid="widget-email-error" hidden></p>
  </header>
  <div class="banner" data-testid="widget-status" role="status" hidden></div>
  <ol class="messages" data-testid="widget-messages" aria-live="polite"></ol>
  <form class="composer" data-testid="widget-composer">
    <textarea rows="1" placeholder="Type your message…" aria-label="Message" maxlength="4000" data-testid="widget-input"></textarea>
    <button type="submit" class="send" data-testid="widget-send" disabled>Send</button>
  </form>
</section>
<button type="button" class="launcher" data-testid="widget-launcher" aria-label="Open chat" aria-expanded="false">
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
    <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>
  </svg>
  <span class="badge" data-testid="widget-unread" hidden></span>
</button>
`;

function must<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`switchboard widget: template is missing ${selector}`);
  return el;
}

/** DOM only: knows nothing about the API, renders what the controller hands it. */
export class ChatView {
  readonly host: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly banner: HTMLElement;
  private readonly emailForm: HTMLFormElement;
  private readonly emailInput: HTMLInputElement;
  private readonly emailStatus: HTMLElement;
  private readonly emailError: HTMLElement;
  private readonly rendered = new Map<string, HTMLLIElement>();
  private open = false;

  constructor(
    doc: Document,
    private readonly handlers: ChatViewHandlers,
  ) {
    this.host = doc.createElement('div');
    this.host.id = 'switchboard-chat-widget';
    this.host.setAttribute('data-testid', 'widget-host');
    // Open (not closed) so automated browser tests and assistive tech can reach inside.
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = WIDGET_CSS;
    const wrapper = doc.createElement('div');
    wrapper.innerHTML = TEMPLATE;
    shadow.append(style, ...Array.from(wrapper.childNodes));

    this.panel = must(shadow, '.panel');
    this.launcher = must(shadow, '.launcher');
    this.badge = must(shadow, '.badge');
    this.list = must(shadow, '.messages');
    this.input = must(shadow, '.composer textarea');
    this.sendButton = must(shadow, '.send');
    this.banner = must(shadow, '.banner');
    this.emailForm = must(shadow, '.identify');
    this.emailInput = must(shadow, '.identify input');
    this.emailStatus = must(shadow, '.identified');
    this.emailError = must(shadow, '.form-error');
    this.bindEvents(shadow);
  }

  get isOpen(): boolean {
    return this.open;
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    if (open) {
      this.scrollToEnd();
      this.input.focus();
    }
  }

  setUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 9 ? '9+' : String(count);
  }

  setBanner(text: string | null): void {
    this.banner.hidden = !text;
    this.banner.textContent = text ?? '';
  }

  setIdentified(email: string | null): void {
    this.emailForm.hidden = email !== null;
    this.emailStatus.hidden = email === null;
    this.emailStatus.textContent = email ? `We'll also reply to ${email}` : '';
  }

  setIdentifyState(state: { busy: boolean; error?: string }): void {
    for (const el of Array.from(this.emailForm.elements)) (el as HTMLInputElement).disabled = state.busy;
    this.emailError.hidden = !state.error;
    this.emailError.textContent = state.error ?? '';
  }

  render(items: readonly TimelineItem[], opts: { forceScroll?: boolean } = {}): void {
    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 60;
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.key);
      let li = this.rendered.get(item.key);
      if (!li) {
        li = this.list.ownerDocument.createElement('li');
        this.rendered.set(item.key, li);
      }
      this.fill(li, item);
      // appendChild moves an existing node, so this also fixes the order in place.
      this.list.appendChild(li);
    }
    for (const [key, li] of this.rendered) {
      if (!seen.has(key)) {
        li.remove();
        this.rendered.delete(key);
      }
    }
    this.renderEmptyState(items.length === 0);
    if (opts.forceScroll || nearBottom) this.scrollToEnd();
  }

  private fill(li: HTMLLIElement, item: TimelineItem): void {
    const system = item.authorRole === 'system';
    li.className = `msg ${system ? 'system' : item.direction}`;
    li.dataset.testid = 'widget-message';
    li.dataset.direction = item.direction;
    li.dataset.authorRole = item.authorRole;
    li.dataset.status = item.status;
    if (item.serverId) li.dataset.messageId = item.serverId;
    else delete li.dataset.messageId;
    if (item.clientMessageId) li.dataset.clientMessageId = item.clientMessageId;
    else delete li.dataset.clientMessageId;
    const created = new Date(item.createdAt);
    li.title = Number.isNaN(created.getTime()) ? '' : created.toLocaleString();

    const doc = li.ownerDocument;
    const parts: HTMLElement[] = [];
    if (item.direction === 'outbound' && !system) {
      const author = doc.createElement('span');
      author.className = 'author';
      author.dataset.testid = 'widget-message-author';
      author.textContent = AUTHOR_LABELS[item.authorRole];
      parts.push(author);
    }
    const bubble = doc.createElement('div');
    bubble.className = 'bubble';
    bubble.dataset.testid = 'widget-message-content';
    bubble.textContent = item.content;
    parts.push(bubble);
    if (item.status === 'sending') {
      const meta = doc.createElement('span');
      meta.className = 'meta';
      meta.textContent = 'Sending…';
      parts.push(meta);
    } else if (item.status === 'failed') {
      const retry = doc.createElement('button');
      retry.type = 'button';
      retry.className = 'retry';
      retry.dataset.testid = 'widget-message-retry';
      retry.textContent = 'Failed to send. Tap to retry';
      parts.push(retry);
    }
    li.replaceChildren(...parts);
  }

  private renderEmptyState(empty: boolean): void {
    let placeholder = this.list.querySelector<HTMLElement>('.empty');
    if (!empty) {
      placeholder?.remove();
      return;
    }
    if (!placeholder) {
      placeholder = this.list.ownerDocument.createElement('li');
      placeholder.className = 'empty';
      placeholder.dataset.testid = 'widget-empty';
      placeholder.textContent = 'Hi there! How can we help you today?';
      this.list.appendChild(placeholder);
    }
  }

  private scrollToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }

  private bindEvents(shadow: ShadowRoot): void {
    this.launcher.addEventListener('click', () => this.handlers.onToggle(!this.open));
    must<HTMLButtonElement>(shadow, '.close').addEventListener('click', () => this.handlers.onToggle(false));
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.handlers.onToggle(false);
    });

    const composer = must<HTMLFormElement>(shadow, '.composer');
    const submit = () => {
      const text = this.input.value.trim();
      if (!text) return;
      this.handlers.onSend(text);
      this.input.value = '';
      this.syncComposer();
      this.input.focus();
    };
    composer.addEventListener('submit', (e) => {
      e.preventDefault();
      submit();
    });
    this.input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter is a newline; IME composition must not send half-typed text.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      }
    });
    this.input.addEventListener('input', () => this.syncComposer());

    this.list.addEventListener('click', (e) => {
      const li = (e.target as Element).closest<HTMLLIElement>('li.msg');
      if (li?.dataset.status === 'failed' && li.dataset.clientMessageId) this.handlers.onRetry(li.dataset.clientMessageId);
    });

    this.emailForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const email = this.emailInput.value.trim();
      if (!this.emailInput.checkValidity()) {
        this.setIdentifyState({ busy: false, error: 'Please enter a valid email address.' });
        return;
      }
      this.handlers.onIdentify(email);
    });
  }

  private syncComposer(): void {
    this.sendButton.disabled = this.input.value.trim().length === 0;
    // Grow with the text up to the CSS max-height instead of scrolling a one-line box.
    this.input.style.height = 'auto';
    this.input.style.height = `${this.input.scrollHeight}px`;
  }
}
