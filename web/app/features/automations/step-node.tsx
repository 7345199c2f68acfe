import { Handle, Position, type NodeProps } from 'reactflow';
import type { GraphNode, RunStep } from './automation-types';
import { branchesOf, categoryOf, labelOf } from './node-catalog';

export interface StepNodeData {
  node: GraphNode;
  errors: string[];
  /** When a run is shown: this node's step in it, if the run reached it. */
  step?: RunStep;
  runShown: boolean;
}

/** One step on the canvas: its kind, id and problems, a target handle, and one labelled handle per branch. */
export function StepNode({ data, selected }: NodeProps<StepNodeData>) {
  const { node, errors, step, runShown } = data;
  const category = categoryOf(node.type);
  const branches = branchesOf(node);
  const result = runShown ? (step ? step.status : 'not-reached') : null;
  return (
    <div
      className={`step-node cat-${category}${selected ? ' selected' : ''}${errors.length ? ' invalid' : ''}${result ? ` result-${result}` : ''}`}
      data-testid="step-node"
      data-node-id={node.id}
      data-result={result ?? undefined}
      title={errors.join('\n') || undefined}
    >
      {category !== 'trigger' ? <Handle type="target" position={Position.Top} /> : null}
      <div className="step-kind">{labelOf(node.type)}</div>
      <div className="step-id">{node.id}</div>
      {errors.length ? <div className="step-errors">{errors.length === 1 ? errors[0] : `${errors.length} problems`}</div> : null}
      {step ? <div className="step-result">{step.status === 'failed' ? `failed: ${step.error ?? ''}` : step.branch && step.branch !== 'next' ? `→ ${step.branch}` : 'done'}</div> : null}
      <div className="step-branches">
        {branches.map((b, i) => (
          <div key={b} className={`branch branch-${b}`} style={{ left: `${((i + 1) / (branches.length + 1)) * 100}%` }}>
            <span className="branch-label">{b === 'next' ? '' : b}</span>
            <Handle type="source" position={Position.Bottom} id={b} data-testid={`handle-${node.id}-${b}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
