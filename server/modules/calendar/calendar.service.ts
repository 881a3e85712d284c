import { createEvents, type EventAttributes } from 'ics';
import type { Match } from '#domain/schemas/matches';
import type { Database, Tx } from '../../db/database';
import { HttpProblem, forbidden, notFound } from '../../plugins/problem';
import { keyedHash, randomToken } from '../../plugins/tokens';
import { localToUtc } from '#domain/rules/dates';
import { myMatches, teamMatches } from '../schedule';
import { visibleTeam } from '../teams';
import { calendarRepository as repo } from './calendar.repository';

/**
 * A match as a calendar event: stable UID, SEQUENCE, CANCELLED status, the venue as LOCATION.
 * The start is the instant in UTC of the match's wall-clock date and time in its league's zone,
 * so every calendar shows it at the right hour in the subscriber's own zone (issue #5).
 */
function toEvent(m: Match, zone: string, host: string): EventAttributes {
  const start = localToUtc(m.date, m.startTime, zone);
  const location = m.venue ? [m.venue.name, m.venue.address].filter(Boolean).join(', ') : undefined;
  return {
    uid: `${m.id}@${host}`,
    sequence: m.sequence,
    start: [
      start.getUTCFullYear(),
      start.getUTCMonth() + 1,
      start.getUTCDate(),
      start.getUTCHours(),
      start.getUTCMinutes(),
    ],
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: m.durationMinutes },
    title: `${m.homeTeam.name} vs ${m.awayTeam.name}`,
    description:
      `${m.leagueName}, ${m.divisionName}${m.round ? `, round ${m.round}` : ''}.` +
      (m.status === 'postponed' ? ' Postponed: new date.' : '') +
      (m.cancelReason ? ` Cancelled: ${m.cancelReason}` : ''),
    ...(location ? { location } : {}),
    status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    productId: 'rally-connect/ics',
  };
}

/** The matches of a feed, read as its maker: all of a player's, or a team's while they are on it. */
async function feedMatches(
  tx: Tx,
  feed: { userId: string | null; teamId: string | null },
): Promise<Match[]> {
  if (feed.userId) return myMatches(tx, 'all');
  const teamId = feed.teamId as string;
  const team = await visibleTeam(tx, teamId).catch(() => undefined);
  if (!team?.isMember) {
    throw new HttpProblem(410, 'Whoever made this team calendar is no longer on the team.');
  }
  return teamMatches(tx, teamId);
}

/** Calendar feeds at secret, revocable URLs, per player (all their teams) and per team. */
export function calendarService(options: { secret: string; publicUrl: URL }) {
  const hash = (token: string) => keyedHash(options.secret, 'calendar', token);
  const url = (token: string) => new URL(`/api/calendar/${token}.ics`, options.publicUrl).href;

  return {
    async createForUser(tx: Tx, userId: string) {
      const token = randomToken();
      const id = await repo.insert(tx, {
        tokenHash: hash(token),
        userId,
        teamId: null,
        createdBy: userId,
      });
      return { id, url: url(token) };
    },

    async createForTeam(tx: Tx, userId: string, teamId: string) {
      const team = await visibleTeam(tx, teamId);
      if (!team.isMember) throw forbidden("Only the team's members can subscribe to its calendar.");
      const token = randomToken();
      const id = await repo.insert(tx, {
        tokenHash: hash(token),
        userId: null,
        teamId,
        createdBy: userId,
      });
      return { id, url: url(token) };
    },

    /** My active feeds, so that any of them can be turned off later (the URL is not kept). */
    async list(tx: Tx) {
      return (await repo.mine(tx)).map((f) => ({ ...f, createdAt: f.createdAt.toISOString() }));
    },

    async revoke(tx: Tx, feedId: string): Promise<void> {
      if (!(await repo.revoke(tx, feedId)))
        throw notFound('There is no such calendar feed of yours.');
    },

    /** The iCal text of a feed; a revoked feed, or a team feed whose owner left, is 410. */
    async render(db: Database, token: string): Promise<string> {
      const feed = await repo.byToken(db.system, hash(token));
      if (!feed) throw notFound('There is no such calendar feed.');
      if (feed.revokedAt) throw new HttpProblem(410, 'This calendar feed was turned off.');
      // A player's feed is read as that player: feeds are made for oneself.
      const matches = await db.withUser(feed.createdBy, (tx) => feedMatches(tx, feed));
      const { error, value } = createEvents(
        matches.map((m) => toEvent(m, m.timeZone, options.publicUrl.hostname)),
        { calName: 'Rally Connect' },
      );
      if (error || value === null) throw error ?? new Error('calendar could not be built');
      return value;
    },
  };
}
