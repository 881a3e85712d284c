import { useFieldArray } from 'react-hook-form';
import { VenueInput, type Venue } from '#domain/schemas/venues';
import { WEEKDAYS, type Weekday } from '#domain/schemas/dates';
import {
  Banner,
  Button,
  Fieldset,
  FormErrorSummary,
  OfflineNotice,
  Select,
  TextField,
  TimeField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useSchemaForm } from '../../lib/schemaForm';
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

interface Values {
  name: string;
  address: string;
  courts: string;
  availability: { weekday: Weekday; from: string; to: string }[];
}

function toInput({ name, address, courts, availability }: Values) {
  const trimmed = courts.trim();
  return {
    name,
    address: address.trim() ? address : null,
    courts: /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN,
    availability: availability.map(({ weekday, from, to }) => ({ weekday, from, to })),
  };
}

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
  const { form, summary, errorFor, field, showProblem, onSubmit } = useSchemaForm({
    schema: VenueInput,
    defaultValues: {
      name: venue?.name ?? '',
      address: venue?.address ?? '',
      courts: venue ? String(venue.courts) : '',
      availability: venue?.availability ?? [{ weekday: 'tue', from: '18:00', to: '22:00' }],
    } satisfies Values,
    toInput,
    locate,
  });
  const hours = useFieldArray({ control: form.control, name: 'availability' });
  const create = useCreateVenue(leagueId);
  const update = useUpdateVenue(leagueId);
  const write = venue ? update : create;

  function send(input: VenueInput) {
    const callbacks = {
      onSuccess: () => {
        if (!venue) {
          form.resetField('name');
          form.resetField('address');
          form.resetField('courts');
        }
        onSaved?.();
      },
      onError: showProblem,
    };
    const idempotencyKey = newIdempotencyKey();
    if (venue)
      update.mutate(
        { venueId: venue.id, input, version: venue.version, idempotencyKey },
        callbacks,
      );
    else create.mutate({ input, idempotencyKey }, callbacks);
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit(send, write.reset)}>
      <FormErrorSummary {...summary} />
      <OfflineNotice paused={write.isPaused}>
        The venue will be saved when the connection is back.
      </OfflineNotice>
      {write.isError && !problemFieldErrors(write.error) ? (
        <Banner tone="error">{describeError(write.error)}</Banner>
      ) : null}
      <TextField label="Venue name" {...field('name', ids.name)} />
      <TextField label="Address" labelSuffix="(optional)" {...field('address', ids.address)} />
      <TextField
        label="Courts"
        hint="How many courts the league can use at once"
        inputMode="numeric"
        {...field('courts', ids.courts)}
      />
      <Fieldset
        id={ids.availability}
        legend="Opening hours"
        hint="The days and hours the courts can be used"
        error={errorFor(ids.availability)}
      >
        <ul className="hours-list">
          {hours.fields.map((row, i) => (
            <li key={row.id} className="hours-row">
              <Select
                label={`Day (row ${i + 1})`}
                options={WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_NAMES[d] }))}
                {...field(`availability.${i}.weekday`, ids.hours(i, 'weekday'))}
              />
              <TimeField
                label={`From (row ${i + 1})`}
                {...field(`availability.${i}.from`, ids.hours(i, 'from'))}
              />
              <TimeField
                label={`To (row ${i + 1})`}
                {...field(`availability.${i}.to`, ids.hours(i, 'to'))}
              />
              {hours.fields.length > 1 ? (
                <Button
                  variant="quiet"
                  aria-label={`Remove opening hours row ${i + 1}`}
                  onClick={() => hours.remove(i)}
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
              hours.append({ weekday: 'thu', from: '18:00', to: '22:00' }, { shouldFocus: false })
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
