import { describe, expect, it } from 'vitest';
import { HUMAN_HANDLES, humanHandles } from './chatwoot-takeover.js';

const agent = { id: 3, name: 'Sam' };

describe('when the AI may answer a Chatwoot conversation', () => {
  it('unassigned rule: pending or open with nobody assigned', () => {
    expect(humanHandles({ status: 'pending', assignee: null }, 'unassigned')).toBeNull();
    expect(humanHandles({ status: 'open', assignee: null }, 'unassigned')).toBeNull();
    expect(humanHandles({ status: 'open', assignee: agent }, 'unassigned')).toContain(HUMAN_HANDLES);
    expect(humanHandles({ status: 'open', assignee: agent }, 'unassigned')).toContain('Sam');
    expect(humanHandles({ status: 'pending', assignee: agent }, 'unassigned')).toContain(HUMAN_HANDLES);
    expect(humanHandles({ status: 'resolved', assignee: null }, 'unassigned')).toContain(HUMAN_HANDLES);
    expect(humanHandles({ status: 'snoozed', assignee: null }, 'unassigned')).toContain(HUMAN_HANDLES);
  });

  it("pending rule: only Chatwoot's bot state", () => {
    expect(humanHandles({ status: 'pending', assignee: null }, 'pending')).toBeNull();
    expect(humanHandles({ status: 'open', assignee: null }, 'pending')).toContain(HUMAN_HANDLES);
    expect(humanHandles({ status: 'resolved', assignee: null }, 'pending')).toContain(HUMAN_HANDLES);
  });
});
