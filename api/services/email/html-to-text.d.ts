// html-to-text (a dependency of mailparser) ships no types; only this function is used.
declare module 'html-to-text' {
  export function htmlToText(html: string, options?: Record<string, unknown>): string;
}
