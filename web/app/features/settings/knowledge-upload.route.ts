import type { ActionFunctionArgs } from '@remix-run/node';
import { formString, invalid, runAction } from './action-result.server';
import { knowledgeApi } from './knowledge-api.server';

/**
 * Where the knowledge page's upload posts (by XHR, for its progress events). The file is passed on
 * to the API as the same multipart upload; the answer is the settings outcome as JSON.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return invalid('upload', 'file', 'Choose a .md, .txt or .html file to upload.');
  const upload = new FormData();
  upload.set('file', file, file.name);
  const title = formString(form, 'title');
  if (title) upload.set('title', title);
  return runAction(request, 'upload', (token) => knowledgeApi.upload(token, upload), `Uploaded ${file.name}.`);
}
