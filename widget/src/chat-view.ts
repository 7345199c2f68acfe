import type { ChatSnapshot } from './chat-session.js';
import { TEMPLATE } from './chat-template.js';
import type { TimelineItem } from './message-timeline.js';
import type { PrechatDetails } from './prechat.js';
import { WIDGET_CSS } from './styles.js';
import type { AuthorRole, FieldError } from './widget-api.js';

export interface ChatViewHandlers {
  onToggle(open: boolean): void;
  onSend(text: string): void;
  onRetry(clientMessageId: string): void;
  onPrechat(details: PrechatDetails): void;
}

const AUTHOR_LABELS: Record<AuthorRole, string> = { customer: 'You', ai: 'AI assistant', agent: 'Agent', system: '' };
const PENDING_LABELS: Record<string, string> = { sending: 'Sending…', queued: 'Waiting for the network…' };

function must<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`switchboard widget: template is missing ${selector}`);
  return el;
}

/** Readable text on the workspace colour: dark ink on light colours, white on dark ones. */
function inkFor(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const luminance = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return luminance > 0.65 ? '#111827' : '#ffffff';
}

/** DOM only: knows nothing about the API, draws the snapshots the controller hands it. */
export class ChatView {
  readonly host: HTMLElement;
  private readonly shadow: ShadowRoot;
  private readonly panel: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly list: HTMLOListElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly prechat: HTMLFormElement;
  private readonly rendered = new Map<string, HTMLLIElement>();
  private open = false;

  constructor(
    doc: Document,
    private readonly handlers: ChatViewHandlers,
  ) {
    this.host = doc.createElement('div');
    this.host.id = 'switchboard-chat-widget';
    this.host.setAttribute('data-testid', 'sb-widget');
    // Open (not closed) so assistive tech and automated browser tests can reach inside.
    this.shadow = this.host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = WIDGET_CSS;
    const wrapper = doc.createElement('div');
    wrapper.innerHTML = TEMPLATE;
    this.shadow.append(style, ...Array.from(wrapper.childNodes));

    this.panel = must(this.shadow, '.panel');
    this.launcher = must(this.shadow, '.launcher');
    this.list = must(this.shadow, '.messages');
    this.input = must(this.shadow, '.composer textarea');
    this.sendButton = must(this.shadow, '.send');
    this.prechat = must(this.shadow, '.prechat');
    this.bindEvents();
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
      (this.prechat.hidden ? this.input : must<HTMLInputElement>(this.prechat, 'input')).focus();
    }
  }

  setUnread(count: number): void {
    const badge = must<HTMLElement>(this.shadow, '.badge');
    badge.hidden = count === 0;
    badge.textContent = count > 9 ? '9+' : String(count);
    this.launcher.setAttribute('aria-label', count && !this.open ? `Open chat, ${count} unread` : this.open ? 'Close chat' : 'Open chat');
  }

  render(s: ChatSnapshot, opts: { forceScroll?: boolean } = {}): void {
    this.host.style.setProperty('--sb-accent', s.settings.color);
    this.host.style.setProperty('--sb-accent-ink', inkFor(s.settings.color));
    for (const el of Array.from(this.shadow.querySelectorAll('.greeting-text'))) el.textContent = s.settings.greeting;

    const wasPrechat = !this.prechat.hidden;
    this.prechat.hidden = s.phase !== 'prechat';
    must<HTMLElement>(this.shadow, '.conversation').hidden = s.phase === 'prechat';
    if (this.open && wasPrechat !== !this.prechat.hidden) (this.prechat.hidden ? this.input : must<HTMLInputElement>(this.prechat, 'input')).focus();
    // Until the settings say whether to ask for name and email first, nothing may be sent.
    this.input.disabled = s.phase === 'unavailable' || s.phase === 'idle';
    const banner = must<HTMLElement>(this.shadow, '.banner');
    const text = s.phase === 'unavailable' ? 'Chat is unavailable right now.' : s.phase === 'ready' && !s.live ? 'Reconnecting…' : '';
    banner.hidden = !text;
    banner.textContent = text;

    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 60;
    this.renderItems(s.items);
    must<HTMLElement>(this.shadow, '.typing').hidden = !s.typing;
    this.syncComposer();
    if (opts.forceScroll || nearBottom) this.scrollToEnd();
  }

  showPrechatErrors(errors: readonly FieldError[], busy: boolean): void {
    for (const el of Array.from(this.prechat.querySelectorAll<HTMLElement>('.field-error'))) {
      const error = errors.find((e) => e.field === el.dataset.field) ?? (el.dataset.field === 'form' ? errors.find((e) => e.field !== 'name' && e.field !== 'email') : undefined);
      el.hidden = !error;
      el.textContent = error?.message ?? '';
    }
    for (const input of Array.from(this.prechat.querySelectorAll('input'))) input.setAttribute('aria-invalid', String(errors.some((e) => e.field === input.name)));
    must<HTMLButtonElement>(this.prechat, 'button').disabled = busy;
  }

  private renderItems(items: readonly TimelineItem[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.key);
      let li = this.rendered.get(item.key);
      if (!li) {
        li = this.list.ownerDocument.createElement('li');
        this.rendered.set(item.key, li);
      }
      this.fill(li, item);
      // appendChild moves an existing node, so this also fixes the order in place (after the greeting).
      this.list.appendChild(li);
    }
    for (const [key, li] of this.rendered) {
      if (!seen.has(key)) {
        li.remove();
        this.rendered.delete(key);
      }
    }
  }

  private fill(li: HTMLLIElement, item: TimelineItem): void {
    const system = item.authorRole === 'system';
    li.className = `msg ${system ? 'system' : item.direction}`;
    li.dataset.testid = 'sb-message';
    li.dataset.role = item.authorRole;
    li.dataset.status = item.status;
    if (item.serverId) li.dataset.messageId = item.serverId;
    else delete li.dataset.messageId;
    if (item.clientMessageId) li.dataset.clientMessageId = item.clientMessageId;
    else delete li.dataset.clientMessageId;
    const created = new Date(item.createdAt);
    li.title = Number.isNaN(created.getTime()) ? '' : created.toLocaleString();

    const doc = li.ownerDocument;
    const parts: HTMLElement[] = [];
    if (item.direction === 'outbound' && !system) parts.push(this.span(doc, 'author', AUTHOR_LABELS[item.authorRole]));
    const bubble = this.span(doc, 'bubble', item.content);
    parts.push(bubble);
    if (PENDING_LABELS[item.status]) parts.push(this.span(doc, 'meta', PENDING_LABELS[item.status]));
    else if (item.status === 'failed') {
      const retry = doc.createElement('button');
      retry.type = 'button';
      retry.className = 'retry';
      retry.dataset.testid = 'sb-message-retry';
      retry.textContent = 'Not sent. Tap to retry';
      parts.push(retry);
    }
    li.replaceChildren(...parts);
  }

  private span(doc: Document, className: string, text: string): HTMLElement {
    const el = doc.createElement(className === 'bubble' ? 'div' : 'span');
    el.className = className;
    el.textContent = text;
    return el;
  }

  private scrollToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }

  private bindEvents(): void {
    this.launcher.addEventListener('click', () => this.handlers.onToggle(!this.open));
    must<HTMLButtonElement>(this.shadow, '.close').addEventListener('click', () => this.handlers.onToggle(false));
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.handlers.onToggle(false);
    });

    const submit = () => {
      const text = this.input.value.trim();
      if (!text) return;
      this.handlers.onSend(text);
      this.input.value = '';
      this.syncComposer();
      this.input.focus();
    };
    must<HTMLFormElement>(this.shadow, '.composer').addEventListener('submit', (e) => {
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

    this.prechat.addEventListener('submit', (e) => {
      e.preventDefault();
      const field = (name: string) => must<HTMLInputElement>(this.prechat, `input[name="${name}"]`).value;
      this.handlers.onPrechat({ name: field('name'), email: field('email') });
    });
  }

  private syncComposer(): void {
    this.sendButton.disabled = this.input.disabled || this.input.value.trim().length === 0;
    // Grow with the text up to the CSS max-height instead of scrolling a one-line box.
    this.input.style.height = 'auto';
    this.input.style.height = `${this.input.scrollHeight}px`;
  }
}
