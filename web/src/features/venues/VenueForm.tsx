import { useState, type FormEvent } from 'react';
import { VenueInput, type Venue } from '#domain/schemas/venues';
import type { FieldError } from '#domain/schemas/problem';
import { WEEKDAYS, type Weekday } from '#domain/schemas/dates';
import {
  Banner,
  Button,
  Fieldset,
  FormErrorSummary,
  OfflineNotice,
  Select,
  TextField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FieldTarget,
  type FormError,
} from '../../lib/forms';
import { useCreateVenue, useUpdateVenue } from './api';

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

interface HoursRow {
  key: number;
  weekday: Weekday;
  from: string;
  to: string;
}

let nextKey = 1;

/** Adds a venue, or edits one: name, address, courts and the hours its courts can be used. */
export function VenueForm({
  leagueId,
  venue,
  onSaved,
  onCancel,
}: {
  leagueId: string;
  venue?: Venue;
  onSaved?: () => void;
  onCancel?: () => void;
}) {
  const prefix = `venue-${venue?.id ?? 'new'}`;
  const ids = {
    name: `${prefix}-name`,
    address: `${prefix}-address`,
    courts: `${prefix}-courts`,
    availability: `${prefix}-availability`,
    hours: (i: number, part: 'weekday' | 'from' | 'to') => `${prefix}-hours-${i}-${part}`,
  };
  const [name, setName] = useState(venue?.name ?? '');
  const [address, setAddress] = useState(venue?.address ?? '');
  const [courts, setCourts] = useState(venue ? String(venue.courts) : '');
  const [hours, setHours] = useState<HoursRow[]>(() =>
    (venue?.availability ?? [{ weekday: 'tue' as Weekday, from: '18:00', to: '22:00' }]).map(
      (h) => ({ ...h, key: nextKey++ }),
    ),
  );
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateVenue(leagueId);
  const update = useUpdateVenue(leagueId);
  const write = venue ? update : create;

  function locate(field: string): FieldTarget | null {
    const [head, index, part] = field.split('.');
    if (head === 'name') return { targetId: ids.name, label: 'Venue name' };
    if (head === 'address') return { targetId: ids.address, label: 'Address' };
    if (head === 'courts')
      return { targetId: ids.courts, label: 'Courts', message: 'A whole number from 1 to 100' };
    if (head === 'availability') {
      if (index !== undefined && (part === 'weekday' || part === 'from' || part === 'to')) {
        const label = { weekday: 'Day', from: 'From', to: 'To' }[part];
        return {
          targetId: ids.hours(Number(index), part),
          label: `${label} (row ${Number(index) + 1})`,
        };
      }
      return { targetId: ids.availability, label: 'Opening hours' };
    }
    return null;
  }
  const place = (list: readonly FieldError[]) => placeErrors(list, locate);
  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    write.reset();
    const trimmed = courts.trim();
    const result = validate(VenueInput, {
      name,
      address: address.trim() ? address : null,
      courts: /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN,
      availability: hours.map(({ weekday, from, to }) => ({ weekday, from, to })),
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    const callbacks = {
      onSuccess: () => {
        if (!venue) {
          setName('');
          setAddress('');
          setCourts('');
        }
        onSaved?.();
      },
      onError: (error: unknown) => {
        const fieldErrors = problemFieldErrors(error);
        if (fieldErrors) showErrors(place(fieldErrors));
      },
    };
    const idempotencyKey = newIdempotencyKey();
    if (venue)
      update.mutate(
        { venueId: venue.id, input: result.data, version: venue.version, idempotencyKey },
        callbacks,
      );
    else create.mutate({ input: result.data, idempotencyKey }, callbacks);
  }

  const setRow = (key: number, change: Partial<HoursRow>) =>
    setHours((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={write.isPaused}>
        The venue will be saved when the connection is back.
      </OfflineNotice>
      {write.isError && !problemFieldErrors(write.error) ? (
        <Banner tone="error">{describeError(write.error)}</Banner>
      ) : null}
      <TextField
        id={ids.name}
        label="Venue name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errorFor(errors, ids.name)}
      />
      <TextField
        id={ids.address}
        label="Address"
        labelSuffix="(optional)"
        value={address}
        onChange={(e) => setAddress(e.target.value)}
        error={errorFor(errors, ids.address)}
      />
      <TextField
        id={ids.courts}
        label="Courts"
        hint="How many courts the league can use at once"
        inputMode="numeric"
        value={courts}
        onChange={(e) => setCourts(e.target.value)}
        error={errorFor(errors, ids.courts)}
      />
      <Fieldset
        id={ids.availability}
        legend="Opening hours"
        hint="The days and hours the courts can be used"
        error={errorFor(errors, ids.availability)}
      >
        <ul className="hours-list">
          {hours.map((row, i) => (
            <li key={row.key} className="hours-row">
              <Select
                id={ids.hours(i, 'weekday')}
                label={`Day (row ${i + 1})`}
                options={WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_NAMES[d] }))}
                value={row.weekday}
                onChange={(e) => setRow(row.key, { weekday: e.target.value as Weekday })}
                error={errorFor(errors, ids.hours(i, 'weekday'))}
              />
              <TextField
                id={ids.hours(i, 'from')}
                label={`From (row ${i + 1})`}
                type="time"
                value={row.from}
                onChange={(e) => setRow(row.key, { from: e.target.value })}
                error={errorFor(errors, ids.hours(i, 'from'))}
              />
              <TextField
                id={ids.hours(i, 'to')}
                label={`To (row ${i + 1})`}
                type="time"
                value={row.to}
                onChange={(e) => setRow(row.key, { to: e.target.value })}
                error={errorFor(errors, ids.hours(i, 'to'))}
              />
              {hours.length > 1 ? (
                <Button
                  variant="quiet"
                  aria-label={`Remove opening hours row ${i + 1}`}
                  onClick={() => setHours((rows) => rows.filter((r) => r.key !== row.key))}
                >
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        <div>
          <Button
            variant="secondary"
            onClick={() =>
              setHours((rows) => [
                ...rows,
                { key: nextKey++, weekday: 'thu', from: '18:00', to: '22:00' },
              ])
            }
          >
            Add opening hours
          </Button>
        </div>
      </Fieldset>
      <div className="form__actions">
        <Button type="submit" busy={write.isPending} busyLabel="Saving…">
          {venue ? 'Save venue' : 'Add venue'}
        </Button>
        {onCancel ? (
          <Button variant="quiet" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
