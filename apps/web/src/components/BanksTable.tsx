// A host's two banks: build, boot state, which one runs; and whether it can roll back.
import { StatusBadge } from './StatusBadge';

export interface BanksLike {
  readonly bootedBank: number | null;
  readonly banks: readonly { readonly bank: number; readonly build: string | null; readonly state: string }[];
  readonly canRollBack: boolean;
  readonly rollBackTo: { readonly bank: number; readonly build: string } | null;
  readonly rollBackReason?: string;
}

export function BanksTable({ banks, caption }: { banks: BanksLike; caption: string }) {
  return (
    <>
      <table className="banks">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Bank</th>
            <th scope="col">Build</th>
            <th scope="col">Boot state</th>
            <th scope="col">Booted</th>
          </tr>
        </thead>
        <tbody>
          {banks.banks.map((b) => (
            <tr key={b.bank}>
              <th scope="row">bank {b.bank}</th>
              <td className="mono">{b.build ?? 'empty'}</td>
              <td>
                <StatusBadge status={b.state} />
              </td>
              <td>{banks.bootedBank === b.bank ? 'booted' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RollBack banks={banks} />
    </>
  );
}

export function RollBack({ banks }: { banks: BanksLike }) {
  return banks.canRollBack && banks.rollBackTo ? (
    <p className="rollback yes">
      Can roll back: to bank {banks.rollBackTo.bank}, build <span className="mono">{banks.rollBackTo.build}</span>.
    </p>
  ) : (
    <p className="rollback no">Cannot roll back{banks.rollBackReason ? `: ${banks.rollBackReason}` : '.'}</p>
  );
}
