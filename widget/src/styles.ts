/**
 * Lives inside the shadow root, so host-page CSS cannot reach in and ours cannot leak out. Two
 * things still cross the boundary: page rules that match the host element itself (`* {…}`,
 * `div {…}`) and what the host inherits. `!important` here beats even the page's `!important`
 * (for important declarations the shadow tree wins), and the look is set on `.root`, inside the
 * shadow tree, where no page rule matches.
 */
export const WIDGET_CSS = `
:host {
  all: initial !important;
  --sb-accent: #3b5bdb;
  --sb-accent-ink: #ffffff;
  --sb-surface: #ffffff;
  --sb-muted: #6b7280;
  --sb-bubble-out: #f1f5f9;
}
.root {
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483000;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  font-size: 14px;
  font-weight: 400;
  font-style: normal;
  line-height: 1.4;
  letter-spacing: normal;
  text-align: left;
  color: #1f2933;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, input, textarea { font: inherit; color: inherit; }

.launcher {
  position: relative;
  width: 56px; height: 56px;
  border: 0; border-radius: 50%;
  background: var(--sb-accent); color: var(--sb-accent-ink);
  box-shadow: 0 6px 20px rgba(15, 23, 42, .25);
  cursor: pointer;
  display: flex; align-items: center; justify-content: center;
  margin-left: auto;
}
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible {
  outline: 2px solid var(--sb-accent); outline-offset: 2px;
}
.launcher svg { width: 26px; height: 26px; }
.badge {
  position: absolute; top: -2px; right: -2px;
  min-width: 20px; height: 20px; padding: 0 6px;
  border-radius: 10px; background: #dc2626; color: #fff;
  font-size: 12px; font-weight: 600; line-height: 20px; text-align: center;
}

.panel {
  position: absolute; right: 0; bottom: 72px;
  width: 360px; height: min(560px, calc(100vh - 110px));
  display: flex; flex-direction: column;
  background: var(--sb-surface);
  border-radius: 14px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(15, 23, 42, .28);
}
header {
  background: var(--sb-accent); color: var(--sb-accent-ink); padding: 14px 16px 12px;
  display: flex; align-items: flex-start; justify-content: space-between; gap: 8px;
}
.title { font-size: 16px; font-weight: 600; margin: 0; }
.subtitle { font-size: 12px; opacity: .85; margin: 2px 0 0; }
.close { background: transparent; border: 0; color: inherit; font-size: 22px; line-height: 1; cursor: pointer; padding: 0 4px; }
.conversation { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.primary {
  border: 0; border-radius: 10px; padding: 0 14px; height: 38px;
  background: var(--sb-accent); color: var(--sb-accent-ink); font-weight: 600; cursor: pointer;
}
.primary:disabled { opacity: .5; cursor: default; }

.prechat { flex: 1; overflow-y: auto; padding: 18px 16px; display: flex; flex-direction: column; gap: 6px; }
.prechat .greeting-text { font-size: 15px; font-weight: 600; margin: 0; }
.prechat .hint { color: var(--sb-muted); font-size: 13px; margin: 0 0 8px; }
.prechat label { font-size: 12px; font-weight: 600; margin-top: 6px; }
.prechat input { padding: 8px 10px; border: 1px solid #d1d5db; border-radius: 8px; background: #fff; }
.prechat input[aria-invalid="true"] { border-color: #dc2626; }
.prechat .primary { margin-top: 12px; }
.field-error { margin: 0; font-size: 12px; color: #b91c1c; }

.typing { display: flex; align-items: center; gap: 6px; padding: 0 16px 8px; font-size: 12px; color: var(--sb-muted); }
.dots { display: inline-flex; gap: 3px; }
.dots i { width: 6px; height: 6px; border-radius: 50%; background: var(--sb-muted); animation: sb-blink 1.2s infinite ease-in-out; }
.dots i:nth-child(2) { animation-delay: .2s; }
.dots i:nth-child(3) { animation-delay: .4s; }
@keyframes sb-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dots i { animation: none; } }

.banner { background: #fef3c7; color: #92400e; font-size: 12px; padding: 6px 16px; }

.messages {
  flex: 1; overflow-y: auto; margin: 0; padding: 14px 12px;
  list-style: none; display: flex; flex-direction: column; gap: 8px;
}
.msg { display: flex; flex-direction: column; max-width: 80%; }
.msg.inbound { align-self: flex-end; align-items: flex-end; }
.msg.outbound { align-self: flex-start; align-items: flex-start; }
.msg.system { align-self: center; align-items: center; max-width: 90%; }
.author { font-size: 11px; color: var(--sb-muted); margin: 0 4px 2px; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.inbound .bubble { background: var(--sb-accent); color: var(--sb-accent-ink); border-bottom-right-radius: 4px; }
.outbound .bubble { background: var(--sb-bubble-out); border-bottom-left-radius: 4px; }
.system .bubble { background: transparent; color: var(--sb-muted); font-size: 12px; padding: 2px 8px; }
.msg[data-status="sending"] .bubble { opacity: .65; }
.msg[data-status="failed"] .bubble { background: #fee2e2; color: #991b1b; cursor: pointer; }
.meta { font-size: 11px; color: var(--sb-muted); margin: 2px 4px 0; }
.retry { border: 0; background: none; padding: 0; color: #b91c1c; font-size: 11px; cursor: pointer; text-decoration: underline; }

.composer { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e5e7eb; align-items: flex-end; }
.composer textarea {
  flex: 1; resize: none; max-height: 120px; min-height: 38px;
  border: 1px solid #d1d5db; border-radius: 10px; padding: 8px 10px; background: #fff;
}

@media (max-width: 480px) {
  .panel { position: fixed; inset: 0; width: auto; height: auto; border-radius: 0; z-index: 1; }
}
`;
