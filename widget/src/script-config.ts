/** Where the widget talks to and which tenant inbox it belongs to, read from its own script tag. */
export interface WidgetConfig {
  widgetKey: string;
  apiUrl: string;
}

const KEY_PATTERN = /^wk_[A-Za-z0-9_-]+$/;

/**
 * Must run synchronously at script evaluation: `document.currentScript` is only set then (also for
 * `async` scripts), and is null later in callbacks.
 */
export function findScriptElement(doc: Document = document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && keyOf(current)) return current;
  // Fallback for loaders that inject the script in ways that leave currentScript unset.
  return doc.querySelector<HTMLScriptElement>('script[data-key], script[data-widget-key]');
}

/** `data-key` is the documented attribute; `data-widget-key` is what early embed snippets used. */
const keyOf = (script: HTMLScriptElement | null) => (script?.dataset.key ?? script?.dataset.widgetKey ?? '').trim();

export function readWidgetConfig(script: HTMLScriptElement | null): WidgetConfig {
  const widgetKey = keyOf(script);
  if (!KEY_PATTERN.test(widgetKey)) {
    throw new Error('switchboard widget: missing or malformed data-key on the script tag');
  }
  const explicit = script?.dataset.apiUrl?.trim();
  // The API serves widget.js itself, so the script's own origin is the sensible default.
  const base = explicit || (script?.src ? new URL(script.src, location.href).origin : location.origin);
  return { widgetKey, apiUrl: base.replace(/\/+$/, '') };
}
