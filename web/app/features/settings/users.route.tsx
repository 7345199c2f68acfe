import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { unwrap, withAuth } from '../auth/auth.server';
import { useShell } from '../shell/use-viewer';
import { formString, invalid, optional, runAction } from './action-result.server';
import { ReadOnlyNote } from './form-bits';
import { InviteForm, PendingInvitations } from './invite-form';
import { can } from './permissions';
import { teamsApi, usersApi } from './settings-api.server';
import { TeamsSection } from './teams-section';
import { UserTable } from './user-table';

export const meta: MetaFunction = () => [{ title: 'Users & teams · Settings · Switchboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const authed = await withAuth(request, async (token) => {
    const [users, invitations, teams] = await Promise.all([
      usersApi.list(token),
      optional(usersApi.invitations(token)),
      optional(teamsApi.list(token)),
    ]);
    return {
      users: users.users,
      invitations: invitations ? invitations.invitations.filter((i) => !i.acceptedAt) : null,
      teams: teams?.teams ?? null,
    };
  });
  return unwrap(authed);
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = formString(form, 'intent');
  const userId = formString(form, 'userId');
  const teamId = formString(form, 'teamId');
  switch (intent) {
    case 'invite': {
      const email = formString(form, 'email');
      if (!email) return invalid(intent, 'email', 'Enter the email address to invite.');
      return runAction(request, intent, async (token) => {
        const invitation = await usersApi.invite(token, email, formString(form, 'role'));
        // The API cannot know where the web app lives, so the link is built from this request.
        const path = invitation.acceptPath ?? `/invite/${encodeURIComponent(invitation.token)}`;
        return { email: invitation.email, role: invitation.role, link: new URL(path, request.url).href };
      });
    }
    case 'change-role':
      return runAction(request, intent, (token) => usersApi.changeRole(token, userId, formString(form, 'role')), 'Role changed.');
    case 'remove-user':
      return runAction(request, intent, (token) => usersApi.remove(token, userId), 'User removed.');
    case 'team-create': {
      const name = formString(form, 'name');
      if (!name) return invalid(intent, 'name', 'Give the team a name.');
      const description = formString(form, 'description');
      return runAction(request, intent, (token) => teamsApi.create(token, { name, ...(description && { description }) }), `Team ${name} created.`);
    }
    case 'team-update':
      return runAction(
        request,
        intent,
        (token) => teamsApi.update(token, teamId, { name: formString(form, 'name'), description: formString(form, 'description') || null }),
        'Team saved.',
      );
    case 'team-delete':
      return runAction(request, intent, (token) => teamsApi.remove(token, teamId), 'Team deleted.');
    case 'team-members': {
      const userIds = form.getAll('userIds').map(String);
      return runAction(request, intent, (token) => teamsApi.setMembers(token, teamId, userIds), 'Members saved.');
    }
    default:
      return invalid(intent, 'intent', `Unknown action "${intent}".`);
  }
}

export default function UsersSettings() {
  const { users, invitations, teams } = useLoaderData<typeof loader>();
  const { viewer } = useShell();
  const mayInvite = can(viewer.role, 'users:invite');
  return (
    <div className="settings-page" data-testid="settings-users">
      <header className="settings-header">
        <h2>Users &amp; teams</h2>
        <p className="muted">Who can sign in to this workspace, what their role lets them do, and the teams conversations are routed to.</p>
      </header>
      {mayInvite ? null : <ReadOnlyNote role={viewer.role} what="who is in the workspace" />}
      {mayInvite ? <InviteForm viewerRole={viewer.role} /> : null}
      <UserTable users={users} viewer={viewer} />
      {invitations && invitations.length > 0 ? <PendingInvitations invitations={invitations} /> : null}
      {teams ? (
        <TeamsSection teams={teams} users={users} mayManage={can(viewer.role, 'teams:manage')} />
      ) : (
        <p className="muted" data-testid="teams-unavailable">
          Teams are not available on this server yet.
        </p>
      )}
    </div>
  );
}
