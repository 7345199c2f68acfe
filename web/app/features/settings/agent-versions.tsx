import { useFetcher } from '@remix-run/react';
import { useEffect } from 'react';
import { Time } from '~/shared/time';
import type { ConfigVersion } from './agent-api.server';
import { FormStatus, type Outcome } from './form-bits';

/** Stored configuration versions; any of them can be made the one the agent runs. */
export function VersionsSection({
  versions,
  activeVersion,
  mayManage,
  onActivated,
}: {
  versions: ConfigVersion[];
  activeVersion: number;
  mayManage: boolean;
  onActivated: () => void;
}) {
  const fetcher = useFetcher<Outcome>();
  const activated = fetcher.state === 'idle' && fetcher.data?.ok ? fetcher.data : undefined;
  useEffect(() => {
    if (activated) onActivated();
    // Once per activation: the callback's identity changes on every render.
  }, [activated]);
  return (
    <section className="settings-card" aria-labelledby="versions-heading">
      <h3 id="versions-heading">Versions</h3>
      {versions.length === 0 ? <p className="muted">Nothing saved yet: the assistant runs on the defaults.</p> : null}
      {versions.length > 0 ? (
        <table className="settings-table" data-testid="agent-versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col"><span className="visually-hidden">State</span></th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} data-testid="agent-version" data-version={v.version}>
                <td>v{v.version}</td>
                <td>
                  <Time value={v.createdAt} withDate />
                </td>
                <td>
                  {v.version === activeVersion ? (
                    <span className="badge status-open" data-testid="agent-version-active">
                      active
                    </span>
                  ) : mayManage ? (
                    <fetcher.Form method="post">
                      <input type="hidden" name="intent" value="activate" />
                      <input type="hidden" name="version" value={v.version} />
                      <button type="submit" className="button" disabled={fetcher.state !== 'idle'} data-testid="agent-version-activate">
                        Activate
                      </button>
                    </fetcher.Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <FormStatus outcome={fetcher.state === 'idle' ? fetcher.data : undefined} testId="agent-activate-status" />
    </section>
  );
}
