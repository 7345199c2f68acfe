import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, invalid, optional, runAction } from './action-result.server';
import { agentApi } from './agent-api.server';
import type { AgentConfig } from './agent-config';
import { EscalationSection } from './agent-escalation';
import { GuardrailsSection } from './agent-guardrails';
import { GuidanceSection } from './agent-guidance';
import { ProvidersSection } from './agent-providers';
import { ToolPolicySection } from './agent-tools';
import { VersionsSection } from './agent-versions';
import { ReadOnlyNote } from './form-bits';
import { can } from './permissions';
import { teamsApi } from './settings-api.server';

export const meta: MetaFunction = () => [{ title: 'AI agent · Settings · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const authed = await withAuth(request, async (token) => {
    const [active, versions, providers, teams] = await Promise.all([
      agentApi.active(token),
      agentApi.versions(token),
      agentApi.providers(token),
      optional(teamsApi.list(token)),
    ]);
    return { ...active, versions: versions.versions, providers: providers.providers, teams: teams?.teams.map((t) => t.name) ?? [] };
  });
  return unwrap(authed);
}

const SECTIONS = { guidance: ['name', 'guidance'], guardrails: ['guardrails'], escalation: ['escalation'], tools: ['tools'] } as const;

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  if (intent === 'save') {
    const section = formString(form, 'section') as keyof typeof SECTIONS;
    if (!(section in SECTIONS)) return invalid(intent, 'section', `Unknown section "${section}".`);
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(formString(form, 'value')) as Record<string, unknown>;
    } catch {
      return invalid(intent, 'value', 'The form could not be read; reload the page and try again.');
    }
    const part = Object.fromEntries(SECTIONS[section].map((key) => [key, value[key]]));
    return runAction(request, intent, async (token) => {
      // Laid over the active configuration as it is now, so two people editing different
      // sections do not undo each other's saves.
      const { config } = await agentApi.active(token);
      const saved = await agentApi.saveVersion(token, { ...config, ...part } as AgentConfig);
      await agentApi.activate(token, saved.version);
      return { version: saved.version };
    }, 'Saved as a new version and activated: the next message uses it.');
  }
  if (intent === 'activate') {
    const version = Number(formString(form, 'version'));
    return runAction(request, intent, (token) => agentApi.activate(token, version), `Version ${version} is active.`);
  }
  if (intent === 'add-provider') {
    const kind = formString(form, 'kind');
    const baseUrl = formString(form, 'baseUrl');
    const model = formString(form, 'model');
    const body = {
      // An OpenAI-compatible server speaks OpenAI's API at its own base URL.
      kind: kind === 'compatible' ? 'openai' : kind,
      apiKey: String(form.get('apiKey') ?? ''),
      priority: Number(formString(form, 'priority') || 1),
      ...(baseUrl && kind === 'compatible' && { baseUrl }),
      ...(model && { model }),
    };
    return runAction(request, intent, (token) => agentApi.addProvider(token, body), 'Provider added.');
  }
  if (intent === 'remove-provider') {
    return runAction(request, intent, (token) => agentApi.removeProvider(token, formString(form, 'providerId')), 'Provider removed.');
  }
  return invalid(intent, 'intent', `Unknown action "${intent}".`);
}

export default function AgentSettings() {
  const { config, activeVersion, versions, providers, teams } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayManage = can(viewer.role, 'agent:manage');
  // Activating another version replaces what every section shows; saving one section does not
  // touch the others' unsaved edits.
  const [generation, setGeneration] = useState(0);
  const props = { config: config as AgentConfig, disabled: !mayManage };

  return (
    <div className="settings-page" data-testid="settings-agent">
      <header className="settings-header">
        <h2>AI agent</h2>
        <p className="muted">
          How the assistant answers customers. Every save is kept as a version (active: <strong data-testid="agent-active-version">v{activeVersion}</strong>), so a
          change can be rolled back.
        </p>
      </header>
      {mayManage ? null : <ReadOnlyNote role={viewer.role} what="the AI agent" />}
      <div key={generation} className="settings-stack">
        <GuidanceSection {...props} />
        <GuardrailsSection {...props} />
        <EscalationSection {...props} teams={teams} />
        <ToolPolicySection {...props} />
      </div>
      <VersionsSection versions={versions} activeVersion={activeVersion} mayManage={mayManage} onActivated={() => setGeneration((g) => g + 1)} />
      <ProvidersSection providers={providers} mayManage={mayManage} />
    </div>
  );
}
