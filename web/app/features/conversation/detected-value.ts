/** Built-in triage fields whose values are lower-case words from a fixed list ("billing_question"). */
const WORDS = new Set(['intent', 'sentiment', 'urgency', 'priority']);
const LANGUAGE_CODE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

// English names, as the rest of the UI is English; fixed so server and browser render the same text.
let names: Intl.DisplayNames | null | undefined;
function languageNames(): Intl.DisplayNames | null {
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    } catch {
      names = null;
    }
  }
  return names;
}

/** A language code as its name ("en" → "English"); an unknown code upper-cased, a name as written. */
export function languageName(value: string): string {
  if (!LANGUAGE_CODE.test(value)) return value;
  try {
    const name = languageNames()?.of(value);
    if (name && name.toLowerCase() !== value.toLowerCase()) return name;
  } catch {
    // A code Intl rejects falls through to the code itself.
  }
  return value.toUpperCase();
}

/**
 * How the sidebar shows a value the AI detected. Only the built-in word lists are sentence-cased;
 * a tenant's own attributes may hold codes or names, which are shown as they are.
 */
export function detectedLabel(key: string, value: string): string {
  if (key === 'language') return languageName(value);
  if (!WORDS.has(key)) return value;
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
