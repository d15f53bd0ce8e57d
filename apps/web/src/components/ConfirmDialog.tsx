// A modal dialog (the native <dialog>: focus kept inside, Escape closes, focus returns to
// the button that opened it) that says what will happen before anything does.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  /** What will happen, in plain words. */
  readonly children: ReactNode;
  readonly confirmLabel: string;
  /** Shown while the action runs. */
  readonly busyText?: string;
  /** Asks for a reason, recorded with the action. */
  readonly reasonLabel?: string;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly error?: string;
  onConfirm(reason: string | undefined): void;
  onClose(): void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (props.open && !d.open) {
      setReason('');
      d.showModal();
    }
    if (!props.open && d.open) d.close();
  }, [props.open]);

  return (
    <dialog
      ref={dialog}
      className="confirm"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          props.onConfirm(reason.trim() || undefined);
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div id={textId} className="confirm-text">
          {props.children}
        </div>
        {props.reasonLabel && (
          <p className="field">
            <label htmlFor={reasonId}>{props.reasonLabel}</label>
            <input id={reasonId} type="text" value={reason} onChange={(e) => setReason(e.target.value)} disabled={props.busy} autoComplete="off" />
          </p>
        )}
        {props.error && (
          <p className="problem" role="alert">
            {props.error}
          </p>
        )}
        {props.busy && (
          <p role="status" className="busy">
            {props.busyText ?? 'Working…'}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={props.onClose} disabled={props.busy} autoFocus>
            Go back
          </button>
          <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={props.busy}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
