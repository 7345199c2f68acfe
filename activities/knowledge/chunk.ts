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

/** Tags to text in one pass: regular expressions over tags go quadratic on input like "<<<<…". */
function convertTags(html: string): string {
  let out = '';
  let skipUntil: string | null = null;
  for (let i = 0; i < html.length; ) {
    if (html[i] !== '<') {
      if (!skipUntil) out += html[i];
      i++;
      continue;
    }
    const end = html.indexOf('>', i);
    if (end < 0) {
      if (!skipUntil) out += html.slice(i);
      break;
    }
    const tag = html.slice(i + 1, end).trim().toLowerCase();
    const name = /^\/?[a-z0-9]+/.exec(tag)?.[0] ?? '';
    if (skipUntil) {
      if (name === `/${skipUntil}`) skipUntil = null;
    } else if (name === 'script' || name === 'style') skipUntil = name;
    else if (/^h[1-6]$/.test(name)) out += `\n${'#'.repeat(Number(name[1]))} `;
    else if (name === 'li') out += '\n- ';
    else if (/^(br|\/p|\/div|\/h[1-6]|\/li|\/ul|\/ol|\/tr)$/.test(name)) out += '\n';
    else out += ' ';
    i = end + 1;
  }
  return out;
}

export function htmlToText(html: string): string {
  return convertTags(html)
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
  // Sentence ends are punctuation followed by white space, so "€4.95" stays whole.
  const sentences = text.split(/(?<=[.!?])\s+/);
  const out: string[] = [];
  let current = '';
  for (const s of sentences) {
    if (current && current.length + 1 + s.length > MAX_CHARS) {
      out.push(current.trim());
      current = '';
    }
    current += (current ? ' ' : '') + s;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
