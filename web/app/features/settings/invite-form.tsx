import { useFetcher } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { Time } from '~/shared/time';
import { CopyButton, FieldError, FormStatus } from './form-bits';
import { grantableRoles } from './permissions';
import type { Invitation } from './settings-api.server';

interface InviteOutcome {
  ok: boolean;
  intent: string;
  error?: string;
  fields?: Record<string, string>;
  value?: { email: string; role: string; link: string };
}

/**
 * Invite by email with a role. The accept link is shown right away: without outgoing mail (the
 * offline product) it is how the invitee gets in, so it can be copied and sent by hand.
 */
export function InviteForm({ viewerRole }: { viewerRole: string }) {
  const fetcher = useFetcher<InviteOutcome>();
  const formRef = useRef<HTMLFormElement>(null);
  const outcome = fetcher.state === 'idle' ? fetcher.data : undefined;
  const invited = outcome?.ok ? outcome.value : undefined;
  useEffect(() => {
    if (invited) formRef.current?.reset();
  }, [invited]);

  return (
    <section className="settings-card" aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite a teammate</h3>
      <fetcher.Form method="post" ref={formRef} className="inline-form" data-testid="invite-form">
        <input type="hidden" name="intent" value="invite" />
        <label className="field grow">
          <span>Email</span>
          <input name="email" type="email" required placeholder="name@company.com" data-testid="invite-email" />
          <FieldError outcome={outcome} name="email" />
        </label>
        <label className="field">
          <span>Role</span>
          <select name="role" defaultValue="agent" data-testid="invite-role">
            {grantableRoles(viewerRole).map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          <FieldError outcome={outcome} name="role" />
        </label>
        <button type="submit" className="button primary" disabled={fetcher.state !== 'idle'} data-testid="invite-submit">
          {fetcher.state !== 'idle' ? 'Inviting…' : 'Send invite'}
        </button>
      </fetcher.Form>
      {outcome && !outcome.ok ? <FormStatus outcome={outcome} testId="invite-error" /> : null}
      {invited ? (
        <div className="invite-result" role="status">
          <p>
            Invited <strong>{invited.email}</strong> as {invited.role}. Send them this link (shown once):
          </p>
          <div className="copy-row">
            <a href={invited.link} className="mono" data-testid="invite-link">
              {invited.link}
            </a>
            <CopyButton text={invited.link} testId="invite-link-copy" />
          </div>
          <p className="muted small">To try it yourself, open it in a private window: joining signs this browser in as the new member.</p>
        </div>
      ) : null}
    </section>
  );
}

export function PendingInvitations({ invitations }: { invitations: Invitation[] }) {
  return (
    <section className="settings-card" aria-labelledby="pending-heading">
      <h3 id="pending-heading">Pending invitations</h3>
      <table className="settings-table" data-testid="pending-invitations">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((invitation) => {
            const expired = new Date(invitation.expiresAt).getTime() < Date.now();
            return (
              <tr key={invitation.id} data-testid="pending-invitation">
                <td>{invitation.email}</td>
                <td>
                  <span className="badge">{invitation.role}</span>
                </td>
                <td className={expired ? 'form-error' : 'muted'}>
                  {expired ? 'Expired ' : null}
                  <Time value={invitation.expiresAt} withDate />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
