/**
 * Splits a document into retrievable chunks. Markdown: every bullet and every paragraph becomes a
 * chunk that carries its document title and section heading, so a short bullet still matches a
 * question about its topic. HTML is reduced to text first; plain text splits on blank lines.
 */
export interface Chunk {
  ordinal: number;
  heading: string;
  content: string;
}

export type DocumentFormat = 'markdown' | 'text' | 'html';

const MAX_CHARS = 800;

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<h([1-6])[^>]*>/gi, (_m, level: string) => `\n${'#'.repeat(Number(level))} `)
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li|\/ul|\/ol|\/tr)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ');
}

export function chunkDocument(title: string, body: string, format: DocumentFormat): Chunk[] {
  const text = format === 'html' ? htmlToText(body) : body;
  const chunks: Chunk[] = [];
  let heading = title;
  let paragraph: string[] = [];
  const push = (content: string) => {
    const clean = content.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    for (const piece of splitLong(clean)) chunks.push({ ordinal: chunks.length, heading, content: piece });
  };
  const flush = () => {
    push(paragraph.join(' '));
    paragraph = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const h = format === 'text' ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = h[1].trim();
    } else if (format !== 'text' && /^([-*+]|\d+[.)])\s+/.test(line)) {
      flush();
      push(line.replace(/^([-*+]|\d+[.)])\s+/, ''));
    } else if (!line) {
      flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return chunks;
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_CHARS) return [text];
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [text];
  const out: string[] = [];
  let current = '';
  for (const s of sentences) {
    if ((current + s).length > MAX_CHARS && current) {
      out.push(current.trim());
      current = '';
    }
    current += s;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
