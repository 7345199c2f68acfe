import { useFetcher } from '@remix-run/react';
import type { User } from '~/api.server';
import { FormStatus, type Outcome } from './form-bits';
import { can, grantableRoles } from './permissions';

interface Viewer {
  id: string;
  role: string;
}

/** The workspace's users; owners and admins change roles and remove people, never themselves. */
export function UserTable({ users, viewer }: { users: User[]; viewer: Viewer }) {
  const mayManage = can(viewer.role, 'users:manage');
  return (
    <section className="settings-card" aria-labelledby="users-heading">
      <h3 id="users-heading">Users ({users.length})</h3>
      <table className="settings-table" data-testid="user-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            {mayManage ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <UserRow key={user.id} user={user} viewer={viewer} mayManage={mayManage} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UserRow({ user, viewer, mayManage }: { user: User; viewer: Viewer; mayManage: boolean }) {
  const fetcher = useFetcher<Outcome>();
  const self = user.id === viewer.id;
  const roles = grantableRoles(viewer.role);
  // Someone ranked above the viewer (an owner, for an admin) is out of the viewer's reach.
  const editable = mayManage && !self && roles.some((r) => r === user.role);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const pendingRole = fetcher.formData?.get('intent') === 'change-role' ? String(fetcher.formData.get('role')) : null;

  return (
    <tr data-testid="user-row" data-email={user.email}>
      <td>
        {user.name || '—'} {self ? <span className="muted small">(you)</span> : null}
      </td>
      <td>{user.email}</td>
      <td>
        {editable ? (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="change-role" />
            <input type="hidden" name="userId" value={user.id} />
            <select
              name="role"
              aria-label={`Role of ${user.email}`}
              value={pendingRole ?? user.role}
              onChange={(event) => fetcher.submit(event.currentTarget.form)}
              data-testid="user-role"
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </fetcher.Form>
        ) : (
          <span className="badge" data-testid="user-role-badge">
            {user.role}
          </span>
        )}
        <FormStatus outcome={outcome && !outcome.ok ? outcome : undefined} testId="user-error" />
      </td>
      {mayManage ? (
        <td className="row-actions">
          {editable ? (
            <fetcher.Form
              method="post"
              onSubmit={(event) => {
                if (!confirm(`Remove ${user.email} from the workspace? They are signed out and lose access.`)) event.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="remove-user" />
              <input type="hidden" name="userId" value={user.id} />
              <button type="submit" className="button danger" disabled={fetcher.state !== 'idle'} data-testid="user-remove">
                Remove
              </button>
            </fetcher.Form>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
