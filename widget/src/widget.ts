/**
 * Entry point of the embeddable chat widget (bundled to widget/dist/widget.js). Usage:
 *   <script src="https://api.example.com/widget.js" data-key="wk_..." async></script>
 * Host pages can open the chat with window.SwitchboardWidget.open() or any element carrying
 * a data-switchboard-open attribute.
 */
import { ChatController } from './chat-controller.js';
import { findScriptElement, readWidgetConfig } from './script-config.js';

interface SwitchboardWidgetApi {
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    SwitchboardWidget?: SwitchboardWidgetApi;
  }
}

function boot(): void {
  // Tag managers sometimes inject the snippet twice; two launchers would fight over one session.
  if (window.SwitchboardWidget) return;
  // Read the script tag now: document.currentScript is gone once we wait for the DOM.
  const config = readWidgetConfig(findScriptElement());
  const controller = new ChatController(config, document);
  window.SwitchboardWidget = { open: () => controller.setOpen(true), close: () => controller.setOpen(false) };
  // Declarative "open chat" buttons (data-switchboard-open) work on pages whose CSP forbids inline handlers.
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest('[data-switchboard-open]')) return;
    event.preventDefault();
    controller.setOpen(true);
  });
  const mount = () => controller.mount(document.body);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

try {
  boot();
} catch (err) {
  // Never break the host page because of the chat widget.
  console.error(err);
}
