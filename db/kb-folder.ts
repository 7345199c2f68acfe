import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentFormat } from '../activities/knowledge/chunk.js';

export interface KbFolderArticle {
  /** The file name without its extension. */
  id: string;
  /** The first `# ` heading, else the id. */
  title: string;
  body: string;
  format: DocumentFormat;
}

const FORMATS = new Map<string, DocumentFormat>([
  ['md', 'markdown'],
  ['markdown', 'markdown'],
  ['txt', 'text'],
  ['html', 'html'],
  ['htm', 'html'],
]);

/**
 * A help centre kept as a folder of files (the demo one, evaluation data): every Markdown, text and
 * HTML file in `dir` (.md/.markdown, .txt, .html/.htm); other files are skipped.
 */
export function readKbFolder(dir: string): KbFolderArticle[] {
  const articles: KbFolderArticle[] = [];
  for (const file of readdirSync(dir)) {
    const format = FORMATS.get(/\.(\w+)$/.exec(file)?.[1] ?? '');
    if (!format) continue;
    const body = readFileSync(join(dir, file), 'utf8');
    const id = file.replace(/\.\w+$/, '');
    articles.push({ id, title: /^#\s+(.+)$/m.exec(body)?.[1]?.trim() ?? id, body, format });
  }
  return articles;
}
