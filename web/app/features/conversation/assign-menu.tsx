import type { Team, WorkspaceUser } from './conversation-api.server';
import { ActionError, useConversationAction } from './use-conversation-action';

interface AssignProps {
  assigneeId: string | null;
  teamId: string | null;
  users: WorkspaceUser[];
  teams: Team[];
  viewerId: string;
}

/** Assigning to an agent and to a team are independent: each select posts only its own side. */
export function AssignMenu({ assigneeId, teamId, users, teams, viewerId }: AssignProps) {
  const { busy, error, post } = useConversationAction();
  // A user or team the list no longer has (deleted, or the list failed to load) still shows.
  const knownUser = !assigneeId || users.some((u) => u.id === assigneeId);
  const knownTeam = !teamId || teams.some((t) => t.id === teamId);
  return (
    <div className="assign-menu">
      <label className="inline-field">
        <span className="muted small">Agent</span>
        <select
          value={assigneeId ?? ''}
          disabled={busy}
          aria-label="Assign to an agent"
          data-testid="assign-select"
          onChange={(e) => post({ intent: 'assign', assigneeId: e.currentTarget.value })}
        >
          <option value="">Unassigned</option>
          {knownUser ? null : <option value={assigneeId ?? ''}>Unknown user</option>}
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.id === viewerId ? `${u.name || u.email} (me)` : u.name || u.email}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span className="muted small">Team</span>
        <select
          value={teamId ?? ''}
          disabled={busy}
          aria-label="Assign to a team"
          data-testid="assign-team-select"
          onChange={(e) => post({ intent: 'assign', teamId: e.currentTarget.value })}
        >
          <option value="">No team</option>
          {knownTeam ? null : <option value={teamId ?? ''}>Unknown team</option>}
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {assigneeId !== viewerId ? (
        <button type="button" className="button ghost small" disabled={busy} onClick={() => post({ intent: 'assign-me' })} data-testid="assign-me">
          Assign to me
        </button>
      ) : null}
      <ActionError error={error} testId="assign-error" />
    </div>
  );
}
