import { z } from 'zod';
import { requiredText } from './text';

/** Dates, times of day and weekdays as the API writes them. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS, { error: 'Use mon, tue, wed, thu, fri, sat or sun' });
export type Weekday = z.infer<typeof Weekday>;

/** A calendar date, `YYYY-MM-DD`. */
export const DateOnly = z.iso.date({
  error: (iss) => (iss.input === undefined ? 'Required' : 'Use YYYY-MM-DD'),
});

/** A time of day on the 24-hour clock, `HH:MM`. */
export const TimeOfDay = z
  .string({ error: requiredText })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour clock)');

/** Minutes since midnight of a valid `HH:MM`. */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}
