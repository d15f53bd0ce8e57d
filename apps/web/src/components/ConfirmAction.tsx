// An operator's action: a button that opens a dialog saying what will happen, runs the
// action on confirmation, and hands back what the API said.
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

export interface ConfirmActionProps {
  /** The button's text (ends with … : a dialog follows). */
  readonly label: string;
  readonly title: string;
  readonly description: ReactNode;
  readonly confirmLabel: string;
  readonly busyText?: string;
  readonly reasonLabel?: string;
  readonly danger?: boolean;
  /** Runs the action; resolves to the sentence that says what it did. */
  run(reason: string | undefined): Promise<string>;
  onDone(message: string): void;
}

export function ConfirmAction(props: ConfirmActionProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <>
      <button
        type="button"
        className={props.danger ? 'danger' : undefined}
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
      >
        {props.label}
      </button>
      <ConfirmDialog
        open={open}
        title={props.title}
        confirmLabel={props.confirmLabel}
        busyText={props.busyText}
        reasonLabel={props.reasonLabel}
        danger={props.danger}
        busy={busy}
        error={error}
        onClose={() => setOpen(false)}
        onConfirm={(reason) => {
          setBusy(true);
          setError(undefined);
          props.run(reason).then(
            (message) => {
              setBusy(false);
              setOpen(false);
              props.onDone(message);
            },
            (e: unknown) => {
              setBusy(false);
              setError(e instanceof Error ? e.message : String(e));
            },
          );
        }}
      >
        {props.description}
      </ConfirmDialog>
    </>
  );
}
