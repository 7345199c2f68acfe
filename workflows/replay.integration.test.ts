import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONVERSATION_VERSION, conversationWorkflowId } from '../temporal/contracts.js';
import { eventually, startHarness, type Harness } from '../scripts/testing/harness.js';
import { startFakeOpenAi, type FakeOpenAi } from '../scripts/testing/fake-openai-server.js';
import { ensureTemporalCli } from '../scripts/stack/tools.js';
import { stateQuery } from './conversation.workflow.js';
import { approve } from './automation-run.workflow.js';
import { conversations, automationRuns } from '../db/schema/index.js';
import { eq } from 'drizzle-orm';
import { startAutomationRun } from '../temporal/automation-starter.js';
import { edge, node, publishAutomation } from '../scripts/testing/automation-fixtures.js';

const HISTORIES = fileURLToPath(new URL('./histories/', import.meta.url));
const workflowBundle = () => ({ codePath: inject('workflowBundlePath') });

let h: Harness;
let fake: FakeOpenAi;
beforeAll(async () => {
  [h, fake] = await Promise.all([startHarness(), startFakeOpenAi('sk-replay')]);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe('determinism', () => {
  it('replays every recorded history with the current workflow code', async () => {
    const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const history = JSON.parse(readFileSync(HISTORIES + file, 'utf8'));
      await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, file);
    }
  });

  it('replays a fresh conversation that used every update and a tool behind approval', async () => {
    const ws = await h.signup('replay');
    // A model that calls tools when asked, so the history holds tool turns, an approval and a handoff tool.
    const cfg = await h.call('POST', '/v1/agent/versions', { tools: { enabled: ['handoff', 'issue_refund'] } }, ws.accessToken);
    await h.call('POST', `/v1/agent/versions/${cfg.body.version}/activate`, {}, ws.accessToken);
    await h.call('POST', '/v1/agent/providers', { kind: 'openai', apiKey: 'sk-replay', baseUrl: `${fake.url}/v1`, model: 'obedient' }, ws.accessToken);
    const v = await h.visitor(ws.tenant.widgetKey);
    const say = (text: string) => h.call('POST', '/v1/widget/messages', { content: text, clientMessageId: randomUUID() }, v.sessionToken);
    const first = await say('Hello');
    const id = first.body.conversationId;
    const handle = h.temporal.workflow.getHandle(conversationWorkflowId(ws.tenant.id, id));
    await eventually(async () => (await handle.query(stateQuery)).handled === 1, 'first reply');
    const act = (path: string, body: unknown = {}) => h.call('POST', `/v1/conversations/${id}/${path}`, body, ws.accessToken);
    await say('Please refund 20 EUR on order 77123');
    const [callId] = await eventually(async () => {
      const ids = (await handle.query(stateQuery)).awaitingApproval;
      return ids.length > 0 ? ids : undefined;
    }, 'approval request');
    expect((await act(`tool-calls/${callId}/approve`)).status).toBe(200);
    await eventually(async () => (await handle.query(stateQuery)).handled === 2, 'refund reply');
    expect((await act('take-over')).status).toBe(200);
    expect((await act('replies', { content: 'Hi, agent here.' })).status).toBe(201);
    expect((await act('assign', { assigneeId: null })).status).toBe(200);
    expect((await act('hand-back')).status).toBe(200);
    await say('I want a human');
    await eventually(async () => (await handle.query(stateQuery)).owner === 'human', 'handoff');
    expect((await act('snooze', { until: null })).status).toBe(200);
    await say('still there?');
    await eventually(async () => (await handle.query(stateQuery)).status === 'open', 'reopened');
    expect((await act('close', { status: 'resolved' })).status).toBe(200);
    await handle.result();

    const { runId } = await handle.describe();
    const history = await h.temporal.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, handle.workflowId);

    // `RECORD_HISTORIES=1 npx vitest run --project integration workflows/replay` refreshes the fixtures
    // after a deliberate change. Every run of the chain is kept: the lifecycle crosses continue-as-new.
    if (process.env.RECORD_HISTORIES === '1') {
      const cli = ensureTemporalCli();
      const address = ['--address', inject('temporalAddress')];
      const runs = JSON.parse(execFileSync(cli, ['workflow', 'list', '--query', `WorkflowId = '${handle.workflowId}'`, '-o', 'json', ...address], { encoding: 'utf8' })) as Array<{
        execution: { runId: string };
        startTime: string;
      }>;
      runs.sort((x, y) => x.startTime.localeCompare(y.startTime));
      runs.forEach((r, i) => {
        // The same format ops get from `temporal workflow show -o json`, so production histories can join the fixtures.
        const json = execFileSync(cli, ['workflow', 'show', '-w', handle.workflowId, '-r', r.execution.runId, '-o', 'json', ...address]);
        writeFileSync(`${HISTORIES}conversation-version${CONVERSATION_VERSION}-lifecycle-run${i + 1}.json`, json);
      });
    }
  });
  it('replays a fresh automation run through control steps, a delay, an approval and actions', async () => {
    const ws = await h.signup('replay-automation');
    const v = await h.visitor(ws.tenant.widgetKey, { name: 'Ria' });
    const [conv] = await h.db.insert(conversations).values({ tenantId: ws.tenant.id, contactId: v.contactId, channel: 'widget' }).returning();
    const a = await publishAutomation(h.db, ws.tenant.id, {
      nodes: [
        node('start', 'trigger.webhook'),
        node('check', 'logic.if', { condition: { left: '{{trigger.body.kind}}', op: 'equals', right: 'vip' } }),
        node('route', 'logic.switch', { value: '{{contact.name}}', cases: [{ key: 'ria', equals: 'Ria' }] }),
        node('pause', 'logic.delay', { seconds: 1 }),
        node('hello', 'action.send_message', { channel: 'widget', text: 'Hello {{contact.name}}' }),
        node('ok', 'logic.approval', { timeoutSeconds: 60 }),
        node('tag', 'action.tag', { add: ['vip'] }),
        node('fail', 'action.http_request', { method: 'GET', url: 'http://127.0.0.1:1/unreachable' }, { retry: { maxAttempts: 1 } }),
        node('caught', 'action.tag', { add: ['caught'] }),
      ],
      edges: [
        edge('start', 'check'), edge('check', 'route', 'yes'), edge('route', 'pause', 'ria'), edge('pause', 'hello'), edge('hello', 'ok'),
        edge('ok', 'tag'), edge('tag', 'fail'), edge('fail', 'caught', 'error'),
      ],
    });
    const started = await startAutomationRun(h.db, h.temporal, h.taskQueue, {
      tenantId: ws.tenant.id, automationId: a.automationId, versionId: a.versionId, eventKey: `replay:${randomUUID()}`, triggerType: 'trigger.webhook',
      trigger: { body: { kind: 'vip' } }, conversationId: conv.id, contactId: v.contactId,
    });
    const handle = h.temporal.workflow.getHandle(started.workflowId);
    await eventually(async () => (await h.db.select().from(automationRuns).where(eq(automationRuns.id, started.runId)))[0].waitingFor === 'approval', 'the approval step');
    await handle.executeUpdate(approve, { args: [{ nodeId: 'ok', approve: true, userId: ws.user.id }] });
    expect(await handle.result()).toMatchObject({ status: 'succeeded', nodeId: 'caught' });

    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, handle.workflowId);
    if (process.env.RECORD_HISTORIES === '1') {
      const cli = ensureTemporalCli();
      const json = execFileSync(cli, ['workflow', 'show', '-w', handle.workflowId, '-o', 'json', '--address', inject('temporalAddress')]);
      writeFileSync(`${HISTORIES}automation-run-lifecycle.json`, json);
    }
  });
});
