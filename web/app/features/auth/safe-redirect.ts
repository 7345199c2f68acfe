/**
 * Only a path on this site. Browsers read `/\evil.com` as `//evil.com` and drop tabs and newlines
 * from URLs, so a backslash or a control character anywhere is refused too.
 */
export function safeRedirectTo(value: FormDataEntryValue | string | null, fallback = '/inbox'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}
