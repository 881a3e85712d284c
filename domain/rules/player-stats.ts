/*
 * A player's record from the lines they played, and a team's record at each line position.
 * Pure and deterministic: the input order never changes the result, so the profile page shows the
 * same streak online and offline.
 */

import type { LineOutcome } from './scoring';

/** One line one player took part in, from that player's side. */
export interface PlayerLine {
  matchId: string;
  /** YYYY-MM-DD */
  date: string;
  kind: 'singles' | 'doubles';
  outcome: LineOutcome;
  won: boolean;
  partnerId: string | null;
  opponentIds: string[];
  /** Sets and games as played, not as credited by a walkover or default. */
  setsWon: number;
  setsLost: number;
  gamesWon: number;
  gamesLost: number;
}

/** Wins and losses over played lines; winPct is null with none played. */
export interface Record {
  played: number;
  won: number;
  lost: number;
  winPct: number | null;
}

/** Everything the player profile shows about a player's results. */
export interface PlayerStats {
  overall: Record;
  singles: Record;
  doubles: Record;
  setsWon: number;
  setsLost: number;
  setsPct: number | null;
  gamesWon: number;
  gamesLost: number;
  gamesPct: number | null;
  /** Consecutive results of the latest lines, e.g. { result: 'won', length: 3 }; null with no lines. */
  streak: { result: 'won' | 'lost'; length: number } | null;
  /** Lines decided without play (walkover, or default with no games): not in the records above. */
  walkovers: { won: number; lost: number };
  /** By played desc, then lastPlayed desc, then id. */
  headToHead: {
    opponentId: string;
    played: number;
    won: number;
    lost: number;
    lastPlayed: string;
  }[];
  /** Doubles only; by played desc, then id. */
  partners: { partnerId: string; played: number; won: number; lost: number; winPct: number }[];
}

/**
 * Whether a line was actually played. A default after some games (an injury mid-line, say) was
 * played and counts; a walkover, or a default before the first game, says nothing about how the
 * player plays, so it is kept out of records, streaks and head-to-head.
 */
function wasPlayed(l: PlayerLine): boolean {
  if (l.outcome === 'completed' || l.outcome === 'retired') return true;
  if (l.outcome === 'default') return l.gamesWon + l.gamesLost > 0;
  return false;
}

/** Code-unit order, not locale order, so server and browser sort identically. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Chronological order: date, then match. A player can play two lines in one team match (a singles
 * and a doubles); the remaining keys only make their order, and so the streak, independent of the
 * input order.
 */
function chronological(a: PlayerLine, b: PlayerLine): number {
  return (
    compareText(a.date, b.date) ||
    compareText(a.matchId, b.matchId) ||
    compareText(a.kind, b.kind) ||
    compareText([...a.opponentIds].sort().join(','), [...b.opponentIds].sort().join(',')) ||
    compareText(a.partnerId ?? '', b.partnerId ?? '') ||
    Number(a.won) - Number(b.won)
  );
}

function pct(won: number, lost: number): number | null {
  return won + lost === 0 ? null : won / (won + lost);
}

function recordOf(lines: readonly PlayerLine[]): Record {
  const won = lines.filter((l) => l.won).length;
  const lost = lines.length - won;
  return { played: lines.length, won, lost, winPct: pct(won, lost) };
}

const sum = (lines: readonly PlayerLine[], field: (l: PlayerLine) => number) =>
  lines.reduce((total, l) => total + field(l), 0);

/**
 * A player's record from their lines. Records, sets, games, streak and head-to-head count played
 * lines only (see {@link wasPlayed}); walkovers and defaults without a game are counted apart.
 * Head-to-head counts each opponent of a line, so a doubles line counts for both opponents.
 */
export function playerStats(lines: readonly PlayerLine[]): PlayerStats {
  const ordered = [...lines].sort(chronological);
  const played = ordered.filter(wasPlayed);
  const unplayed = ordered.filter((l) => !wasPlayed(l));

  const setsWon = sum(played, (l) => l.setsWon);
  const setsLost = sum(played, (l) => l.setsLost);
  const gamesWon = sum(played, (l) => l.gamesWon);
  const gamesLost = sum(played, (l) => l.gamesLost);

  let streak: PlayerStats['streak'] = null;
  const latest = played.at(-1);
  if (latest) {
    let length = 0;
    for (let i = played.length - 1; i >= 0 && played[i]?.won === latest.won; i--) length++;
    streak = { result: latest.won ? 'won' : 'lost', length };
  }

  const opponents = new Map<string, PlayerStats['headToHead'][number]>();
  const partners = new Map<string, PlayerStats['partners'][number]>();
  for (const l of played) {
    // A Set, so a malformed line naming an opponent twice still counts one meeting.
    for (const id of new Set(l.opponentIds)) {
      const h = opponents.get(id) ?? { opponentId: id, played: 0, won: 0, lost: 0, lastPlayed: '' };
      h.played++;
      if (l.won) h.won++;
      else h.lost++;
      // Lines are in date order, so the latest seen is the latest played.
      h.lastPlayed = l.date;
      opponents.set(id, h);
    }
    if (l.kind === 'doubles' && l.partnerId !== null) {
      const p = partners.get(l.partnerId) ?? {
        partnerId: l.partnerId,
        played: 0,
        won: 0,
        lost: 0,
        winPct: 0,
      };
      p.played++;
      if (l.won) p.won++;
      else p.lost++;
      p.winPct = p.won / p.played;
      partners.set(l.partnerId, p);
    }
  }

  return {
    overall: recordOf(played),
    singles: recordOf(played.filter((l) => l.kind === 'singles')),
    doubles: recordOf(played.filter((l) => l.kind === 'doubles')),
    setsWon,
    setsLost,
    setsPct: pct(setsWon, setsLost),
    gamesWon,
    gamesLost,
    gamesPct: pct(gamesWon, gamesLost),
    streak,
    walkovers: {
      won: unplayed.filter((l) => l.won).length,
      lost: unplayed.filter((l) => !l.won).length,
    },
    headToHead: [...opponents.values()].sort(
      (a, b) =>
        b.played - a.played ||
        compareText(b.lastPlayed, a.lastPlayed) ||
        compareText(a.opponentId, b.opponentId),
    ),
    partners: [...partners.values()].sort(
      (a, b) => b.played - a.played || compareText(a.partnerId, b.partnerId),
    ),
  };
}

/** One line a team played in a team match, from that team's side. */
export interface TeamLine {
  matchId: string;
  date: string;
  kind: 'singles' | 'doubles';
  line: number;
  won: boolean;
  outcome: LineOutcome;
}

/** A team's wins and losses at one line position. */
export interface LineRecord {
  kind: 'singles' | 'doubles';
  line: number;
  won: number;
  lost: number;
}

/**
 * A team's record at each line position (e.g. Singles 1: 5–2), ordered singles then doubles, by
 * line. Unlike a player's record, walkovers and defaults count here: the team won or lost that
 * line in the match score either way, as in the standings' lines columns.
 */
export function teamLineRecords(lines: readonly TeamLine[]): LineRecord[] {
  const records = new Map<string, LineRecord>();
  for (const l of lines) {
    const key = `${l.kind}:${l.line}`;
    const r = records.get(key) ?? { kind: l.kind, line: l.line, won: 0, lost: 0 };
    if (l.won) r.won++;
    else r.lost++;
    records.set(key, r);
  }
  const kindOrder = { singles: 0, doubles: 1 };
  return [...records.values()].sort(
    (a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.line - b.line,
  );
}
