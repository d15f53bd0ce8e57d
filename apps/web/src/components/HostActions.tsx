// An operator's actions on one host, offered when its banks allow them, each saying
// what it will do to the host before it does it.
import type { HostActionOutcome, HostSummary } from '../api/types';
import { useSession } from '../session';
import { ConfirmAction } from './ConfirmAction';

export function HostActions({ host, onDone }: { host: HostSummary; onDone(message: string): void }) {
  const { api } = useSession();
  const banks = host.banks;
  if (!banks) return null;
  const path = `/hosts/${encodeURIComponent(host.id)}`;
  const act = (action: string) => async (reason: string | undefined) => (await api.post<HostActionOutcome>(`${path}/${action}`, reason ? { reason } : {})).message;
  const staged = banks.banks.find((b) => b.bank !== banks.bootedBank && b.state === 'UPGRADING');
  const running = banks.banks.find((b) => b.bank === banks.bootedBank);
  return (
    <div className="actions" role="group" aria-label="Host actions">
      {banks.canRollBack && banks.rollBackTo && (
        <ConfirmAction
          label="Roll back…"
          danger
          title={`Roll ${host.id} back to ${banks.rollBackTo.build}?`}
          confirmLabel="Roll back"
          reasonLabel="Reason (recorded in the host's history)"
          busyText="Rolling back: the host enters maintenance mode and reboots; this waits for it to come back (it can take minutes)…"
          description={
            <>
              <p>
                The host enters maintenance mode (its VMs are moved away), bank {banks.rollBackTo.bank} with build {banks.rollBackTo.build} becomes the boot bank, and
                the host reboots into it.
              </p>
              <p>
                The build it runs now ({running?.build ?? 'unknown'}, bank {banks.bootedBank}) is marked INVALID: after this, there is nothing to roll back to.
              </p>
            </>
          }
          run={act('rollback')}
          onDone={onDone}
        />
      )}
      {staged && (
        <ConfirmAction
          label="Abandon staged image…"
          title={`Abandon the image staged on ${host.id}?`}
          confirmLabel="Abandon staged image"
          reasonLabel="Reason (recorded in the host's history)"
          description={
            <p>
              The image staged in bank {staged.bank} ({staged.build ?? 'unknown build'}) but never booted is marked INVALID, so that no reboot boots it. The host keeps
              running {running?.build ?? 'its current build'} and is not rebooted.
            </p>
          }
          run={act('abandon')}
          onDone={onDone}
        />
      )}
      <ConfirmAction
        label="Observe…"
        title={`Observe ${host.id} now?`}
        confirmLabel="Observe"
        busyText="Reading the host's banks…"
        description={
          <p>
            Bankswitch reads the host&apos;s banks now and records them in its history. Anything changed outside Bankswitch (Shift+R at the console, a manual update)
            is recorded as drift; the host&apos;s standing drift is then acknowledged. Nothing on the host changes.
          </p>
        }
        run={act('observe')}
        onDone={onDone}
      />
    </div>
  );
}
