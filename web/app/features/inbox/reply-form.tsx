import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type { Conversation } from '~/api.server';
import type { WorkspaceUser } from '../conversation/conversation-api.server';
import { activeOptionId, SuggestionMenu } from '../conversation/suggestion-menu';
import { useCanned } from '../conversation/use-canned';
import { ActionError, useConversationAction } from '../conversation/use-conversation-action';
import { useMentions } from '../conversation/use-mentions';
import { WindowWarning } from '../conversation/window-warning';
import { draftAfterSend } from './reply-draft';

type Mode = 'reply' | 'note';

/**
 * The reply box. Enter sends, Shift+Enter is a new line; `/` at the start picks a canned
 * response; in note mode `@` mentions a teammate. The inbox's `r` shortcut focuses #reply-input.
 */
export function ReplyForm({ conversation, users = [] }: { conversation: Conversation; users?: WorkspaceUser[] }) {
  const { fetcher, busy, error, post } = useConversationAction();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<Mode>('reply');
  const [value, setValue] = useState('');
  const [caret, setCaret] = useState(0);
  const canned = useCanned(value);
  const mentions = useMentions(value, caret, users, mode === 'note');
  const menu = canned.open ? 'canned' : mentions.open ? 'mention' : null;

  // The draft as it was sent: once the API took it, only that text leaves the box (anything typed
  // while sending stays); a refusal keeps it all for another try.
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data || sent.current === null) return;
    const text = sent.current;
    sent.current = null;
    if (fetcher.data.error) return;
    const rest = draftAfterSend(value, text);
    setValue(rest);
    setCaret(rest.length);
    if (!rest) mentions.reset();
  }, [fetcher.state, fetcher.data]);

  const setText = (text: string, at = text.length) => {
    // Rendered now and the caret placed at once: placed on a later frame, it would land after a
    // key typed meanwhile and send the rest of the typing in front of it.
    flushSync(() => {
      setValue(text);
      setCaret(at);
    });
    textarea.current?.setSelectionRange(at, at);
  };

  const send = () => {
    const content = value.trim();
    if (!content || busy) return;
    const form: Record<string, string | string[]> = { intent: mode, content };
    if (mode === 'note') form.mentions = mentions.mentionedIds(content);
    sent.current = value;
    post(form);
  };

  const pick = (index: number) => {
    if (menu === 'canned') {
      const content = canned.contentAt(index);
      if (content !== null) setText(content);
    } else if (menu === 'mention') {
      const next = mentions.pick(index);
      if (next) setText(next.value, next.caret);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const active = menu === 'canned' ? canned : menu === 'mention' ? mentions : null;
    if (active) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        return active.move(event.key === 'ArrowDown' ? 1 : -1);
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && active.items.length > 0) {
        event.preventDefault();
        return pick(active.active);
      }
      // "/refnd" with nothing matching is almost surely a typo, not a message for the customer.
      if (event.key === 'Enter' && menu === 'canned' && !event.shiftKey) {
        event.preventDefault();
        return active.dismiss();
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        return active.dismiss();
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const menuId = `suggest-${conversation.id}`;
  const menuItems = menu === 'canned' ? canned.items : menu === 'mention' ? mentions.items : [];
  const menuActive = menu === 'canned' ? canned.active : mentions.active;
  const noteNames = mode === 'note' ? mentions.mentionedNames(value) : [];

  return (
    <fetcher.Form
      method="post"
      className={mode === 'note' ? 'reply-form note-mode' : 'reply-form'}
      data-testid="reply-form"
      data-mode={mode}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div className="reply-modes" role="radiogroup" aria-label="Reply or private note">
        <ModeButton mode="reply" current={mode} onPick={setMode} label="Reply" />
        <ModeButton mode="note" current={mode} onPick={setMode} label="Private note" />
      </div>
      {mode === 'reply' ? <WindowWarning conversation={conversation} /> : null}
      <div className="composer">
        {menu === 'canned' ? (
          <SuggestionMenu
            id={menuId}
            label="Canned responses"
            items={canned.items}
            active={canned.active}
            onPick={pick}
            testId="canned-menu"
            empty={canned.error ?? (canned.loading ? 'Searching…' : 'No canned response matches.')}
          />
        ) : menu === 'mention' ? (
          <SuggestionMenu id={menuId} label="Mention a teammate" items={mentions.items} active={mentions.active} onPick={pick} testId="mention-menu" empty="No teammate matches." />
        ) : null}
        <textarea
          ref={textarea}
          id="reply-input"
          name="content"
          rows={3}
          value={value}
          placeholder={mode === 'note' ? 'Write a private note… @ to mention a teammate' : 'Write a reply… / for canned responses'}
          aria-label={mode === 'note' ? 'Private note' : 'Reply'}
          aria-autocomplete="list"
          aria-controls={menu ? menuId : undefined}
          aria-activedescendant={menu ? activeOptionId(menuId, menuItems, menuActive) : undefined}
          data-testid="reply-input"
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setCaret(e.currentTarget.selectionStart ?? e.currentTarget.value.length);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
        />
      </div>
      {noteNames.length ? (
        <p className="small muted" data-testid="note-mentions">
          Notifies:{' '}
          {noteNames.map((n) => (
            <mark key={n} className="mention">
              @{n}
            </mark>
          ))}
        </p>
      ) : null}
      <div className="reply-footer">
        <ActionError error={error} testId="reply-error" />
        <span className="muted small reply-hint">
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </span>
        <button type="submit" className={mode === 'note' ? 'button note' : 'button primary'} disabled={busy || !value.trim()} data-testid="send-reply">
          {busy ? 'Sending…' : mode === 'note' ? 'Add note' : 'Send'}
        </button>
      </div>
    </fetcher.Form>
  );
}

function ModeButton({ mode, current, onPick, label }: { mode: Mode; current: Mode; onPick: (m: Mode) => void; label: string }) {
  return (
    <button
      type="button"
      role="radio"
      aria-checked={mode === current}
      className={mode === current ? `mode-tab active mode-${mode}` : `mode-tab mode-${mode}`}
      onClick={() => onPick(mode)}
      data-testid={`reply-mode-${mode}`}
    >
      {label}
    </button>
  );
}
