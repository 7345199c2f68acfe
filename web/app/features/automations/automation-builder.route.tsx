import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import reactFlowStyles from 'reactflow/dist/style.css?url';
import { withAuth } from '../auth/auth.server';
import { runAction } from '../settings/action-result.server';
import { automationsApi } from './automations-api.server';
import type { Definition } from './automation-types';
import { Builder } from './builder';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: reactFlowStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.automation.name ?? 'Automation'} · Automations · Switchboard` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.automationId!;
  const authed = await withAuth(request, async (token) => {
    const [detail, versions, runs] = await Promise.all([automationsApi.get(token, id), automationsApi.versions(token, id), automationsApi.runs(token, id)]);
    return { ...detail, versions: versions.versions, runs: runs.runs };
  });
  if (!authed.result.ok) throw data({ message: authed.result.error.message }, { status: authed.result.error.status, headers: authed.headers });
  const selectedRun = new URL(request.url).searchParams.get('run');
  return data({ ...authed.result.value, selectedRun }, { headers: authed.headers });
}

/** One intent per builder command; each answers in the settings pages' outcome shape. */
type Command =
  | { intent: 'save'; draft: Definition; draftRevision: number }
  | { intent: 'rename'; name: string }
  | { intent: 'toggle'; enabled: boolean }
  | { intent: 'publish'; note: string }
  | { intent: 'rollback'; versionId: string }
  | { intent: 'test'; trigger: Record<string, unknown>; conversationId?: string }
  | { intent: 'decide'; runId: string; approve: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = params.automationId!;
  const c = (await request.json()) as Command;
  switch (c.intent) {
    case 'save':
      return runAction(request, c.intent, (token) => automationsApi.update(token, id, { draft: c.draft, draftRevision: c.draftRevision }));
    case 'rename':
      return runAction(request, c.intent, (token) => automationsApi.update(token, id, { name: c.name }));
    case 'toggle':
      return runAction(request, c.intent, (token) => automationsApi.update(token, id, { enabled: c.enabled }), c.enabled ? 'Resumed.' : 'Paused.');
    case 'publish':
      return runAction(request, c.intent, (token) => automationsApi.publish(token, id, c.note), 'Published.');
    case 'rollback':
      return runAction(request, c.intent, (token) => automationsApi.rollback(token, id, c.versionId), 'Rolled back.');
    case 'test':
      return runAction(request, c.intent, (token) => automationsApi.test(token, id, { trigger: c.trigger, ...(c.conversationId && { conversationId: c.conversationId }) }));
    case 'decide':
      return runAction(request, c.intent, (token) => automationsApi.decide(token, c.runId, c.approve));
    default:
      return data({ ok: false, intent: 'unknown', error: 'Unknown command', fields: {} }, { status: 400 });
  }
}

export default function AutomationBuilderPage() {
  const loaded = useLoaderData<typeof loader>();
  return <Builder key={loaded.automation.id} {...loaded} />;
}
