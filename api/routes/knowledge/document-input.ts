import { z } from '@hono/zod-openapi';
import type { DocumentInput } from '../../../activities/knowledge/store.js';
import { documentFormat } from '../../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { Text } from '../../schemas.js';

const Format = z.enum(documentFormat.enumValues);
// About 80 pages of text; larger sources belong in several documents.
const MAX_CONTENT = 200_000;

export const DocumentBody = z.object({
  title: Text(1, 200),
  format: Format.default('markdown'),
  content: Text(1, MAX_CONTENT),
});

/** A `multipart/form-data` upload: the file, and optionally a title and format overriding its name. */
export const DocumentUpload = z.object({
  file: z
    .any()
    .refine((v) => v instanceof File, 'must be a file (.md, .markdown, .txt, .html or .htm)')
    .openapi({ type: 'string', format: 'binary' }),
  title: Text(1, 200).optional(),
  format: Format.optional(),
});

const EXTENSIONS: Record<string, DocumentInput['format']> = { md: 'markdown', markdown: 'markdown', txt: 'text', html: 'html', htm: 'html' };

const invalid = (field: string, message: string) => new AppError('validation_failed', `invalid form: ${field}: ${message}`, [{ field, message }]);

export function fromJson(body: z.infer<typeof DocumentBody>): DocumentInput {
  return { title: body.title, body: body.content, format: body.format };
}

/** The document an upload describes; the format comes from the field, else the file's extension. */
export async function fromUpload(form: z.infer<typeof DocumentUpload>): Promise<DocumentInput> {
  const file = form.file as File;
  const dot = file.name.lastIndexOf('.');
  const ext = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '';
  const format = form.format ?? EXTENSIONS[ext];
  if (!format) throw invalid('format', `cannot tell the format of "${file.name}": use a .md, .txt or .html file, or give format`);
  if (file.size > MAX_CONTENT * 4) throw invalid('file', `must be at most ${MAX_CONTENT} characters`);
  const text = (await file.text()).trim();
  if (!text) throw invalid('file', 'must not be empty');
  if (text.length > MAX_CONTENT) throw invalid('file', `must be at most ${MAX_CONTENT} characters`);
  if (text.includes('\u0000')) throw invalid('file', 'must not contain NUL characters');
  const title = form.title ?? (dot > 0 ? file.name.slice(0, dot) : file.name).trim();
  if (!title || title.length > 200) throw invalid('title', 'give a title of 1 to 200 characters');
  return { title, body: text, format };
}
