import { useFetcher, useRevalidator } from '@remix-run/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import ReactFlow, {
  Background,
  Controls,
  MarkerType,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type ReactFlowInstance,
} from 'reactflow';
import type { ActionOutcome } from '../settings/action-result.server';
import { useShell } from '../shell/use-viewer';
import { mayManageAutomations } from './automation-permissions';
import { FINISHED_RUN, type AutomationDetail, type Definition, type GraphNode, type RunDetail, type RunSummary, type Validation, type Version } from './automation-types';
import { KIND_BY_TYPE, branchesOf, categoryOf, newNodeId, referencesAt, sampleTrigger } from './node-catalog';
import { NodePanel } from './node-panel';
import { DRAG_TYPE, Palette } from './palette';
import { RunsPanel } from './runs-panel';
import { StepNode, type StepNodeData } from './step-node';
import { VersionsPanel } from './versions-panel';

const NODE_TYPES = { step: StepNode };
const SAVE_DELAY_MS = 800;
type SaveState = 'saved' | 'pending' | 'saving' | 'conflict' | 'failed';
type Saved = ActionOutcome<{ automation: AutomationDetail; validation: Validation }>;

interface Props {
  automation: AutomationDetail;
  validation: Validation;
  versions: Version[];
  runs: RunSummary[];
  selectedRun: string | null;
}

/** The automation builder: palette, canvas, the selected step's panel, versions and runs. */
export function Builder({ automation, validation: initialValidation, versions, runs, selectedRun }: Props) {
  const { viewer } = useShell();
  const readOnly = !mayManageAutomations(viewer.role);
  const [graph, setGraph] = useState<Definition>(automation.draft);
  const [revision, setRevision] = useState(automation.draftRevision);
  const [validation, setValidation] = useState(initialValidation);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [selected, setSelected] = useState<string | null>(null);
  const [run, setRun] = useState<RunDetail | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [flow, setFlow] = useState<ReactFlowInstance | null>(null);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);

  const saver = useFetcher<Saved>();
  const commander = useFetcher<ActionOutcome<unknown>>();
  const runLoader = useFetcher<{ run: RunDetail }>();
  const revalidator = useRevalidator();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useRef({ graph, revision });
  latest.current = { graph, revision };

  // --- Autosave: each change schedules a save; one save at a time, with the revision it loaded.
  // The timer fires after renders it did not see: read the fetcher as it is now.
  const saverNow = useRef(saver);
  saverNow.current = saver;
  const save = useCallback(function saveNow() {
    if (saverNow.current.state !== 'idle') {
      timer.current = setTimeout(saveNow, SAVE_DELAY_MS);
      return;
    }
    setSaveState('saving');
    saverNow.current.submit({ intent: 'save', draft: latest.current.graph, draftRevision: latest.current.revision } as never, { method: 'post', encType: 'application/json' });
  }, []);
  useEffect(() => {
    const d = saver.data;
    if (!d || saver.state !== 'idle') return;
    if (d.ok) {
      setRevision(d.value.automation.draftRevision);
      setValidation(d.value.validation);
      setSaveState((s) => (s === 'saving' ? 'saved' : s));
    } else {
      setSaveState(d.fields.draftRevision ? 'conflict' : 'failed');
    }
  }, [saver.data, saver.state]);
  const edit = useCallback(
    (change: (g: Definition) => Definition, persist = true) => {
      if (readOnly) return;
      setGraph((g) => change(g));
      if (!persist) return;
      setSaveState((s) => (s === 'conflict' ? s : 'pending'));
      clearTimeout(timer.current);
      timer.current = setTimeout(save, SAVE_DELAY_MS);
    },
    [readOnly, save],
  );
  useEffect(() => () => clearTimeout(timer.current), []);

  // --- Runs: a test run or a picked run is loaded, and polled until it finishes.
  const showRun = useCallback((runId: string) => runLoader.load(`/automations/runs/${runId}?data`), [runLoader]);
  useEffect(() => {
    if (selectedRun) showRun(selectedRun);
    // Once, for a run linked from elsewhere.
  }, [selectedRun]);
  useEffect(() => {
    if (runLoader.state !== 'idle' || !runLoader.data?.run) return;
    const loaded = runLoader.data.run;
    setRun(loaded);
    if (!FINISHED_RUN.has(loaded.status)) {
      const again = setTimeout(() => showRun(loaded.id), 800);
      return () => clearTimeout(again);
    }
    revalidator.revalidate();
  }, [runLoader.data, runLoader.state]);
  useEffect(() => {
    const d = commander.data;
    if (!d || commander.state !== 'idle') return;
    if (!d.ok) return setNotice(d.error);
    if (d.intent === 'test') showRun((d.value as { run: { id: string } }).run.id);
    if (d.intent === 'rollback') window.location.assign(`/automations/${automation.id}`);
    setNotice(d.notice ?? null);
  }, [commander.data, commander.state]);
  const command = (body: Record<string, unknown>) => commander.submit(body as never, { method: 'post', encType: 'application/json' });

  const shownGraph = run ? run.definition : graph;
  const stepsByNode = useMemo(() => {
    const m = new Map<string, NonNullable<RunDetail['steps']>[number]>();
    for (const s of run?.steps ?? []) m.set(s.nodeId, s);
    return m;
  }, [run]);
  const errorsByNode = useMemo(() => {
    const m = new Map<string, string[]>();
    if (run) return m;
    for (const e of validation.errors) if (e.nodeId) m.set(e.nodeId, [...(m.get(e.nodeId) ?? []), e.field ? `${e.field}: ${e.message}` : e.message]);
    return m;
  }, [validation, run]);

  const nodes: Array<Node<StepNodeData>> = useMemo(
    () =>
      shownGraph.nodes.map((n) => ({
        id: n.id,
        type: 'step',
        position: n.position,
        selected: n.id === selected,
        data: { node: n, errors: errorsByNode.get(n.id) ?? [], step: stepsByNode.get(n.id), runShown: !!run },
      })),
    [shownGraph, selected, errorsByNode, stepsByNode, run],
  );
  const edges: Edge[] = useMemo(
    () =>
      shownGraph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: e.handle ?? 'next',
        label: e.handle && e.handle !== 'next' ? e.handle : undefined,
        markerEnd: { type: MarkerType.ArrowClosed },
        className: run && stepsByNode.has(e.target) && stepsByNode.get(e.source)?.branch === (e.handle ?? 'next') ? 'taken' : undefined,
      })),
    [shownGraph, run, stepsByNode],
  );

  const onNodesChange = (changes: NodeChange[]) => {
    for (const c of changes) if (c.type === 'select' && c.selected) setSelected(c.id);
    if (run) return;
    const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
    const moved = changes.filter((c) => c.type === 'position');
    if (!removed.size && !moved.length) return;
    const positions = new Map(applyNodeChanges(changes, nodes).map((n) => [n.id, n.position]));
    const settled = removed.size > 0 || moved.some((c) => c.type === 'position' && !c.dragging);
    edit((g) => ({
      nodes: g.nodes.filter((n) => !removed.has(n.id)).map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })),
      edges: g.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)),
    }), settled);
    if (selected && removed.has(selected)) setSelected(null);
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    if (run) return;
    const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
    if (removed.size) edit((g) => ({ ...g, edges: g.edges.filter((e) => !removed.has(e.id)) }));
  };
  const connect = (source: string, handle: string, target: string | null) =>
    edit((g) => ({
      ...g,
      // One edge per branch: connecting it again replaces where it leads.
      edges: [
        ...g.edges.filter((e) => !(e.source === source && (e.handle ?? 'next') === handle)),
        ...(target ? [{ id: `e_${source}_${handle}`, source, target, ...(handle !== 'next' && { handle }) }] : []),
      ],
    }));
  const onConnect = (c: Connection) => c.source && c.target && connect(c.source, c.sourceHandle ?? 'next', c.target);

  const addNode = (type: string, position?: { x: number; y: number }) => {
    const kind = KIND_BY_TYPE.get(type);
    if (!kind) return;
    const id = newNodeId(type, new Set(graph.nodes.map((n) => n.id)));
    const anchor = graph.nodes.find((n) => n.id === selected) ?? graph.nodes[graph.nodes.length - 1];
    const at = position ?? (anchor ? { x: anchor.position.x, y: anchor.position.y + 140 } : { x: 80, y: 40 });
    const node: GraphNode = { id, type, position: at, config: structuredClone(kind.defaults) };
    // Clicked in the palette: it follows the selected step on that step's first free branch. Dropped: it goes where dropped, unconnected.
    const from = position ? undefined : graph.nodes.find((n) => n.id === selected);
    const free = from && categoryOf(type) !== 'trigger' ? branchesOf(from).find((b) => b !== 'error' && !graph.edges.some((e) => e.source === from.id && (e.handle ?? 'next') === b)) : undefined;
    const taken = from ? branchesOf(from).filter((b) => b !== 'error').indexOf(free ?? '') : 0;
    if (from && free) node.position = { x: from.position.x + Math.max(0, taken) * 220, y: from.position.y + 140 };
    edit((g) => ({
      nodes: [...g.nodes, node],
      edges: free && from ? [...g.edges, { id: `e_${from.id}_${free}`, source: from.id, target: id, ...(free !== 'next' && { handle: free }) }] : g.edges,
    }));
    setSelected(id);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_TYPE);
    if (type && flow) addNode(type, flow.project({ x: e.clientX - (e.currentTarget as HTMLElement).getBoundingClientRect().left, y: e.clientY - (e.currentTarget as HTMLElement).getBoundingClientRect().top }));
  };

  const selectedNode = shownGraph.nodes.find((n) => n.id === selected);
  const trigger = graph.nodes.find((n) => categoryOf(n.type) === 'trigger');
  const busy = commander.state !== 'idle';
  const saveLabel = { saved: 'Saved', pending: 'Unsaved changes…', saving: 'Saving…', conflict: 'Changed elsewhere: reload to continue', failed: 'Not saved' }[saveState];

  return (
    <main className="builder" data-testid="automation-builder" data-save-state={saveState}>
      <header className="builder-header">
        <a href="/automations">Automations</a> / <strong data-testid="automation-name">{automation.name}</strong>
        <span className={`save-state save-${saveState}`} data-testid="save-state">
          {readOnly ? 'Read only' : saveLabel}
        </span>
        <span className={`validity ${validation.ok ? 'ok' : 'bad'}`} data-testid="draft-validity">
          {validation.ok ? 'Ready to publish' : `${validation.errors.length} problem${validation.errors.length === 1 ? '' : 's'} to fix before publishing`}
        </span>
        {readOnly ? null : (
          <label className="toggle">
            <input type="checkbox" defaultChecked={automation.enabled} onChange={(e) => command({ intent: 'toggle', enabled: e.target.checked })} data-testid="enabled" /> On
          </label>
        )}
        {notice ? (
          <span className="notice" role="status" data-testid="builder-notice">
            {notice}
          </span>
        ) : null}
      </header>
      <div className="builder-body">
        <Palette hasTrigger={!!trigger} onAdd={(t) => addNode(t)} disabled={readOnly || !!run} />
        <div className="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="canvas">
          {mounted ? (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={NODE_TYPES}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onInit={setFlow}
              onPaneClick={() => setSelected(null)}
              nodesDraggable={!readOnly && !run}
              nodesConnectable={!readOnly && !run}
              deleteKeyCode={readOnly || run ? null : ['Backspace', 'Delete']}
              fitView
              fitViewOptions={{ maxZoom: 1 }}
            >
              <Background />
              <Controls showInteractive={false} />
            </ReactFlow>
          ) : null}
        </div>
        <div className="builder-side">
          {selectedNode ? (
            <NodePanel
              node={selectedNode}
              nodes={shownGraph.nodes}
              edges={shownGraph.edges}
              errors={run ? [] : validation.errors.filter((e) => e.nodeId === selectedNode.id)}
              references={referencesAt(selectedNode.id, shownGraph.nodes, shownGraph.edges)}
              step={stepsByNode.get(selectedNode.id)}
              readOnly={readOnly || !!run}
              onConfig={(config) => edit((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === selectedNode.id ? { ...n, config } : n)) }))}
              onNode={(patch) => edit((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === selectedNode.id ? { ...n, ...patch } : n)) }))}
              onConnect={(branch, target) => connect(selectedNode.id, branch, target)}
              onDelete={() => onNodesChange([{ type: 'remove', id: selectedNode.id }])}
            />
          ) : (
            <p className="muted node-panel-empty">{run ? 'Pick a step to see what went in and came out.' : 'Pick a step to configure it, or add one from the palette.'}</p>
          )}
          <VersionsPanel
            versions={versions}
            canPublish={validation.ok && saveState === 'saved'}
            busy={busy}
            readOnly={readOnly}
            onPublish={(note) => command({ intent: 'publish', note })}
            onRollback={(versionId) => command({ intent: 'rollback', versionId })}
          />
          <RunsPanel
            key={trigger?.type ?? 'none'}
            runs={runs}
            shown={run}
            sampleTrigger={sampleTrigger(trigger?.type)}
            readOnly={readOnly}
            busy={busy || saveState !== 'saved'}
            onTest={(t, conversationId) => command({ intent: 'test', trigger: t, ...(conversationId && { conversationId }) })}
            onShow={showRun}
            onRefresh={() => revalidator.revalidate()}
            onDecide={(runId, approve) => command({ intent: 'decide', runId, approve })}
            onHide={() => setRun(null)}
          />
        </div>
      </div>
    </main>
  );
}
