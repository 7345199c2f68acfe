import { startTsProcess } from './process-utils.js';

/**
 * Bundles the workflow code into `path` in a process of its own, so neither the worker nor the
 * caller keeps webpack's memory; the worker then loads the file (WORKFLOW_BUNDLE_PATH).
 */
export async function writeWorkflowBundle(path: string): Promise<string> {
  const proc = startTsProcess('bundle', 'temporal/bundle-main.ts', { args: [path] });
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  if (code !== 0) throw new Error(`bundling the workflows failed (exit ${code})\n${proc.output()}`);
  return path;
}
