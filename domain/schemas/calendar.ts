import { z } from 'zod';

/** Calendar (iCal) feeds. */

/** A calendar feed: the URL is shown once, when the feed is made. */
export const CalendarFeed = z.object({ id: z.string().uuid(), url: z.string() });
