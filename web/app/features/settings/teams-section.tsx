import { useFetcher } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { User } from '~/api.server';
import { FieldError, FormStatus, SaveButton, type Outcome } from './form-bits';
import type { Team } from './settings-api.server';

/** Teams that conversations and escalation rules are routed to, with their members. */
export function TeamsSection({ teams, users, mayManage }: { teams: Team[]; users: User[]; mayManage: boolean }) {
  return (
    <section className="settings-card" aria-labelledby="teams-heading" data-testid="teams-section">
      <h3 id="teams-heading">Teams ({teams.length})</h3>
      {mayManage ? <CreateTeamForm /> : null}
      {teams.length === 0 ? <p className="muted">No teams yet.</p> : null}
      <ul className="team-list">
        {teams.map((team) => (
          <TeamCard key={team.id} team={team} users={users} mayManage={mayManage} />
        ))}
      </ul>
    </section>
  );
}

function CreateTeamForm() {
  const fetcher = useFetcher<Outcome>();
  const formRef = useRef<HTMLFormElement>(null);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  useEffect(() => {
    if (outcome?.ok) formRef.current?.reset();
  }, [outcome]);
  return (
    <fetcher.Form method="post" ref={formRef} className="inline-form" data-testid="team-create-form">
      <input type="hidden" name="intent" value="team-create" />
      <label className="field">
        <span>Team name</span>
        <input name="name" required maxLength={80} placeholder="Billing" data-testid="team-name" />
        <FieldError outcome={outcome} name="name" testId="team-name-error" />
      </label>
      <label className="field grow">
        <span>Description</span>
        <input name="description" maxLength={500} placeholder="Optional" data-testid="team-description" />
      </label>
      <button type="submit" className="button primary" disabled={fetcher.state !== 'idle'} data-testid="team-create">
        Create team
      </button>
      <FormStatus outcome={outcome && !outcome.ok ? outcome : undefined} testId="team-create-error" />
    </fetcher.Form>
  );
}

function TeamCard({ team, users, mayManage }: { team: Team; users: User[]; mayManage: boolean }) {
  const edit = useFetcher<Outcome>();
  const members = useFetcher<Outcome>();
  const remove = useFetcher<Outcome>();
  const memberIds = new Set(team.members.map((m) => m.id));
  const editOutcome = edit.state === 'idle' ? edit.data : undefined;

  return (
    <li className="team-card" data-testid="team-card" data-team={team.name}>
      <div className="team-head">
        <strong data-testid="team-card-name">{team.name}</strong>
        {team.description ? <span className="muted">{team.description}</span> : null}
        <span className="spacer" />
        <span className="muted small" data-testid="team-member-count">
          {team.members.length} {team.members.length === 1 ? 'member' : 'members'}
        </span>
      </div>
      {mayManage ? (
        <>
          <details>
            <summary>Rename or describe</summary>
            <edit.Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="team-update" />
              <input type="hidden" name="teamId" value={team.id} />
              <label className="field">
                <span>Name</span>
                <input name="name" defaultValue={team.name} required maxLength={80} data-testid="team-edit-name" />
                <FieldError outcome={editOutcome} name="name" />
              </label>
              <label className="field grow">
                <span>Description</span>
                <input name="description" defaultValue={team.description ?? ''} maxLength={500} />
              </label>
              <button type="submit" className="button" disabled={edit.state !== 'idle'} data-testid="team-save">
                Save
              </button>
            </edit.Form>
            <FormStatus outcome={editOutcome} testId="team-edit-status" />
          </details>
          <members.Form method="post" className="team-members" data-testid="team-members-form">
            <input type="hidden" name="intent" value="team-members" />
            <input type="hidden" name="teamId" value={team.id} />
            <fieldset>
              <legend>Members</legend>
              {users.map((user) => (
                <label key={user.id} className="check">
                  <input type="checkbox" name="userIds" value={user.id} defaultChecked={memberIds.has(user.id)} data-testid="team-member-checkbox" data-email={user.email} />
                  {user.name || user.email} <span className="muted small">{user.role}</span>
                </label>
              ))}
            </fieldset>
            <SaveButton busy={members.state !== 'idle'} testId="team-members-save" label="Save members" primary={false} />
            <FormStatus outcome={members.state === 'idle' ? members.data : undefined} testId="team-members-status" />
          </members.Form>
          <remove.Form
            method="post"
            onSubmit={(event) => {
              if (!confirm(`Delete the team ${team.name}? Its conversations lose the team.`)) event.preventDefault();
            }}
          >
            <input type="hidden" name="intent" value="team-delete" />
            <input type="hidden" name="teamId" value={team.id} />
            <button type="submit" className="button danger" disabled={remove.state !== 'idle'} data-testid="team-delete">
              Delete team
            </button>
            <FormStatus outcome={remove.state === 'idle' && remove.data && !remove.data.ok ? remove.data : undefined} testId="team-delete-error" />
          </remove.Form>
        </>
      ) : (
        <p className="muted small">{team.members.map((m) => m.name || m.email).join(', ') || 'No members'}</p>
      )}
    </li>
  );
}
