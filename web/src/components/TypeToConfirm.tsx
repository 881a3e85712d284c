import { useState, type FormEvent, type ReactNode } from 'react';
import type { FormError } from '../lib/forms';
import { Banner } from './Banner';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { FormErrorSummary } from './FormErrorSummary';
import { NeedsConnection } from './NeedsConnection';
import { TextField } from './TextField';

export interface TypeToConfirmProps {
  open: boolean;
  onClose: () => void;
  /** What is being deleted, e.g. "team"; used in the title, labels and the offline reason. */
  what: string;
  /** Its name, which the user must type. */
  name: string;
  /** What deleting it does. */
  children: ReactNode;
  online: boolean;
  busy: boolean;
  /** A sentence about a failed attempt, if any. */
  failure: string | null;
  onConfirm: () => void;
}

/**
 * A dialog that deletes something only once its name is typed, so that it is never one slip
 * away. Names are compared as the API stores them: NFC-normalised and trimmed.
 */
export function TypeToConfirm({
  open,
  onClose,
  what,
  name,
  children,
  online,
  busy,
  failure,
  onConfirm,
}: TypeToConfirmProps) {
  const [typed, setTyped] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const inputId = `confirm-delete-${what}`;

  function close() {
    setTyped('');
    setErrors([]);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (typed.normalize('NFC').trim() !== name) {
      setErrors([
        {
          field: 'confirm',
          message: `Type ${name} exactly`,
          targetId: inputId,
          label: `${what.charAt(0).toUpperCase()}${what.slice(1)} name`,
        },
      ]);
      setAttempt((n) => n + 1);
      return;
    }
    setErrors([]);
    onConfirm();
  }

  return (
    <Dialog open={open} title={`Delete ${name}?`} onClose={close}>
      <form className="form" noValidate onSubmit={onSubmit}>
        {children}
        <FormErrorSummary errors={errors} attempt={attempt} />
        {failure ? <Banner tone="error">{failure}</Banner> : null}
        <TextField
          id={inputId}
          label={`Type the ${what} name, ${name}, to confirm`}
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={errors[0]?.message}
        />
        <div className="form__actions">
          <Button type="submit" disabled={!online} busy={busy} busyLabel="Deleting…">
            Delete {what}
          </Button>
          <Button variant="quiet" onClick={close}>
            Cancel
          </Button>
        </div>
        <NeedsConnection
          online={online}
        >{`Deleting a ${what} needs a connection.`}</NeedsConnection>
      </form>
    </Dialog>
  );
}
