import { useFetcher } from '@remix-run/react';
import { useState } from 'react';
import { TOOL_NAMES, type AgentConfig } from './agent-config';
import { AgentSection, type SectionProps } from './agent-section';
import type { Outcome } from './form-bits';

const DESCRIPTIONS: Record<string, string> = {
  lookup_order: 'Look up an order’s status',
  create_ticket: 'Open a ticket for follow-up',
  add_tag: 'Label the conversation',
  update_contact: 'Save details the customer gives',
  update_lead_stage: 'Move a lead along the pipeline',
  schedule_follow_up: 'Schedule a follow-up message',
  handoff: 'Hand the conversation to a person',
  issue_refund: 'Issue a refund',
  merge_contacts: 'Merge duplicate contacts',
  export_contacts: 'Export contact data',
};

/** Which tools the AI may call, and which of those wait for a person to approve each call. */
export function ToolPolicySection({ config, ...props }: SectionProps & { config: AgentConfig }) {
  const fetcher = useFetcher<Outcome>();
  const [enabled, setEnabled] = useState(() => new Set(config.tools.enabled));
  const [approval, setApproval] = useState(() => new Set(config.tools.requireApproval));
  const toggle = (set: Set<string>, apply: (s: Set<string>) => void, tool: string, on: boolean) => {
    const copy = new Set(set);
    if (on) copy.add(tool);
    else copy.delete(tool);
    apply(copy);
  };
  const value = { tools: { enabled: TOOL_NAMES.filter((t) => enabled.has(t)), requireApproval: TOOL_NAMES.filter((t) => approval.has(t)) } };

  return (
    <AgentSection
      {...props}
      section="tools"
      title="Tool policy"
      description="What the assistant may do on its own. A tool that needs approval waits in the conversation until a manager approves or rejects the call."
      value={value}
      fetcher={fetcher}
    >
      <table className="settings-table">
        <thead>
          <tr>
            <th scope="col">Tool</th>
            <th scope="col">Enabled</th>
            <th scope="col">Needs approval</th>
          </tr>
        </thead>
        <tbody>
          {TOOL_NAMES.map((tool) => (
            <tr key={tool}>
              <td>
                <code className="mono">{tool}</code> <span className="muted small">{DESCRIPTIONS[tool]}</span>
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={enabled.has(tool)}
                  onChange={(e) => toggle(enabled, setEnabled, tool, e.target.checked)}
                  aria-label={`Enable ${tool}`}
                  data-testid={`agent-tool-enabled-${tool}`}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={approval.has(tool)}
                  onChange={(e) => toggle(approval, setApproval, tool, e.target.checked)}
                  aria-label={`${tool} needs approval`}
                  data-testid={`agent-tool-approval-${tool}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AgentSection>
  );
}
