// Static markup only: every piece of visitor or server text goes in through textContent.
// Test ids are a contract with the browser tests (tests/e2e); keep them stable.
export const TEMPLATE = `<div class="root">
<section class="panel" data-testid="sb-panel" role="dialog" aria-label="Chat" hidden>
  <header>
    <div>
      <p class="title">Chat with us</p>
      <p class="subtitle">We usually reply in a few minutes.</p>
    </div>
    <button type="button" class="close" data-testid="sb-close" aria-label="Close chat">&times;</button>
  </header>
  <div class="banner" data-testid="sb-banner" role="status" hidden></div>
  <form class="prechat" data-testid="sb-prechat" aria-label="Your details" novalidate hidden>
    <p class="greeting-text"></p>
    <p class="hint">Leave your name and email so we can follow up if you step away.</p>
    <label for="sb-name">Name</label>
    <input id="sb-name" name="name" autocomplete="name" maxlength="120" data-testid="sb-prechat-name" aria-describedby="sb-name-error">
    <p class="field-error" id="sb-name-error" data-field="name" hidden></p>
    <label for="sb-email">Email</label>
    <input id="sb-email" name="email" type="email" autocomplete="email" maxlength="254" data-testid="sb-prechat-email" aria-describedby="sb-email-error">
    <p class="field-error" id="sb-email-error" data-field="email" hidden></p>
    <p class="field-error" data-field="form" role="alert" hidden></p>
    <button type="submit" class="primary" data-testid="sb-prechat-submit">Start chat</button>
  </form>
  <div class="conversation">
    <ol class="messages" data-testid="sb-messages" aria-live="polite" aria-label="Messages">
      <li class="msg outbound greeting" data-testid="sb-greeting"><span class="author">Support</span><div class="bubble greeting-text"></div></li>
    </ol>
    <div class="typing" data-testid="sb-typing" role="status" hidden>
      <span class="dots" aria-hidden="true"><i></i><i></i><i></i></span> typing…
    </div>
    <form class="composer" aria-label="Write a message">
      <textarea rows="1" placeholder="Type your message…" aria-label="Message" maxlength="4000" data-testid="sb-input"></textarea>
      <button type="submit" class="send primary" data-testid="sb-send" aria-label="Send message" disabled>Send</button>
    </form>
  </div>
</section>
<button type="button" class="launcher" data-testid="sb-launcher" aria-label="Open chat" aria-expanded="false">
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
    <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>
  </svg>
  <span class="badge" data-testid="sb-unread" hidden></span>
</button>
</div>`;
