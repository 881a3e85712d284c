/*
 * Division standings: a table of teams from final team-match results. Pure and deterministic: the
 * same teams and matches give the same table whatever order they arrive in, so the server and the
 * browser (offline) always agree on who is where.
 */

/** Tiebreakers a league may apply, in any order, to teams level on points. */
export const TIEBREAKERS = [
  'head_to_head',
  'lines_pct',
  'sets_pct',
  'games_pct',
  'fewest_forfeits',
] as const;

/** One tiebreaker from {@link TIEBREAKERS}. */
export type Tiebreaker = (typeof TIEBREAKERS)[number];

/** How a league awards points and separates teams level on points. */
export interface StandingsRules {
  /** 'matches': points per team match won/tied/lost; 'lines': points per line won/lost (tie unused). */
  pointsFor: 'matches' | 'lines';
  win: number;
  tie: number;
  loss: number;
  /** Applied in order to teams level on points. */
  tiebreakers: readonly Tiebreaker[];
}

/** The usual league table: 2 points a win, 1 a tie, and every tiebreaker in the listed order. */
export const DEFAULT_STANDINGS_RULES: StandingsRules = {
  pointsFor: 'matches',
  win: 2,
  tie: 1,
  loss: 0,
  tiebreakers: ['head_to_head', 'lines_pct', 'sets_pct', 'games_pct', 'fewest_forfeits'],
};

/** A final team-match result. Forfeits: lines that side lost by walkover/default. */
export interface StandingsMatch {
  id: string;
  homeTeamId: string;
  awayTeamId: string;
  winner: 'home' | 'away' | 'tie';
  linesHome: number;
  linesAway: number;
  setsHome: number;
  setsAway: number;
  gamesHome: number;
  gamesAway: number;
  forfeitsHome: number;
  forfeitsAway: number;
}

/** A team of the division, listed in the table even before it has played. */
export interface StandingsTeam {
  id: string;
  name: string;
}

/** One row of the table. */
export interface StandingsRow {
  /** 1-based; teams still level after every tiebreaker share a rank (1, 2, 2, 4). */
  rank: number;
  teamId: string;
  name: string;
  played: number;
  won: number;
  lost: number;
  tied: number;
  points: number;
  linesWon: number;
  linesLost: number;
  setsWon: number;
  setsLost: number;
  gamesWon: number;
  gamesLost: number;
  forfeits: number;
  /** won/(won+lost), null when none played. */
  linesPct: number | null;
  setsPct: number | null;
  gamesPct: number | null;
  /** What put this team above the next row: 'points', a tiebreaker, or null when level with it (shared rank) or last. */
  decidedBy: 'points' | Tiebreaker | null;
}

/** Match and line counts, from which points are derived (see {@link pointsOf}). */
interface Tally {
  won: number;
  lost: number;
  tied: number;
  linesWon: number;
  linesLost: number;
}

/**
 * Points from counts rather than summed match by match: multiplying counts gives the same number
 * whatever order the matches come in, even when the league awards fractional points.
 */
function pointsOf(t: Tally, rules: StandingsRules): number {
  return rules.pointsFor === 'matches'
    ? rules.win * t.won + rules.tie * t.tied + rules.loss * t.lost
    : rules.win * t.linesWon + rules.loss * t.linesLost;
}

function emptyTally(): Tally {
  return { won: 0, lost: 0, tied: 0, linesWon: 0, linesLost: 0 };
}

/** Adds one match to the tallies of both sides; a match involving a team outside them is skipped. */
function addToTally(tallies: Map<string, Tally>, m: StandingsMatch): void {
  const home = tallies.get(m.homeTeamId);
  const away = tallies.get(m.awayTeamId);
  if (!home || !away) return;
  home.linesWon += m.linesHome;
  home.linesLost += m.linesAway;
  away.linesWon += m.linesAway;
  away.linesLost += m.linesHome;
  if (m.winner === 'tie') {
    home.tied++;
    away.tied++;
  } else if (m.winner === 'home') {
    home.won++;
    away.lost++;
  } else {
    away.won++;
    home.lost++;
  }
}

function pct(won: number, lost: number): number | null {
  return won + lost === 0 ? null : won / (won + lost);
}

/** Code-unit order, not locale order, so server and browser list level teams identically. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows of one rank: level with each other, and `decidedBy` separated them from the next block. */
interface Block {
  rows: StandingsRow[];
  decidedBy: 'points' | Tiebreaker | null;
}

/**
 * A tiebreaker's value for each team of a group; higher is better. Only head-to-head depends on
 * the group: the others read the team's whole record.
 */
function tiebreakerKeys(
  tb: Tiebreaker,
  group: readonly StandingsRow[],
  matches: readonly StandingsMatch[],
  rules: StandingsRules,
): Map<string, number> {
  if (tb === 'head_to_head') {
    // A mini-table of the group's matches among themselves. Pairs that have not met simply add
    // nothing: head-to-head still applies on what was played, as most league handbooks read it,
    // and a team that met none of the others scores 0 there.
    const tallies = new Map(group.map((r) => [r.teamId, emptyTally()]));
    for (const m of matches) addToTally(tallies, m);
    return new Map([...tallies].map(([id, t]) => [id, pointsOf(t, rules)]));
  }
  // Percentages lie in [0, 1], so -1 ranks "none played" below any percentage.
  const key = (r: StandingsRow): number => {
    switch (tb) {
      case 'lines_pct':
        return r.linesPct ?? -1;
      case 'sets_pct':
        return r.setsPct ?? -1;
      case 'games_pct':
        return r.gamesPct ?? -1;
      case 'fewest_forfeits':
        return -r.forfeits;
    }
  };
  return new Map(group.map((r) => [r.teamId, key(r)]));
}

/** Splits rows into runs of equal key, best key first. */
function splitBy(rows: readonly StandingsRow[], keyOf: (r: StandingsRow) => number) {
  const sorted = [...rows].sort((a, b) => keyOf(b) - keyOf(a));
  const parts: StandingsRow[][] = [];
  for (const r of sorted) {
    const last = parts.at(-1);
    const first = last?.[0];
    if (last && first && keyOf(first) === keyOf(r)) last.push(r);
    else parts.push([r]);
  }
  return parts;
}

/**
 * Orders a group of teams level on points. The first tiebreaker that separates anyone splits the
 * group; each part of two or more teams then starts over from the first tiebreaker, restricted to
 * that part, because head-to-head among fewer teams can differ from head-to-head among more.
 * Parts are strictly smaller than the group, so this ends.
 */
function resolveGroup(
  group: readonly StandingsRow[],
  matches: readonly StandingsMatch[],
  rules: StandingsRules,
): Block[] {
  if (group.length === 1) return [{ rows: [...group], decidedBy: null }];
  for (const tb of rules.tiebreakers) {
    const keys = tiebreakerKeys(tb, group, matches, rules);
    const parts = splitBy(group, (r) => keys.get(r.teamId) ?? 0);
    if (parts.length === 1) continue;
    const blocks: Block[] = [];
    parts.forEach((part, i) => {
      blocks.push(...resolveGroup(part, matches, rules));
      // The last block of each part is what `tb` put above the next part.
      const last = blocks.at(-1);
      if (last && i < parts.length - 1) last.decidedBy = tb;
    });
    return blocks;
  }
  const rows = [...group].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.teamId, b.teamId),
  );
  return [{ rows, decidedBy: null }];
}

/**
 * The division table: every team of `teams`, ranked by points and then by `rules.tiebreakers`
 * (see {@link resolveGroup}). Teams still level after every tiebreaker share a rank and are listed
 * by name, then id. Throws a RangeError when a match names a team that is not in `teams`, or a
 * team twice: that is the caller's bug, not something a user can fix.
 */
export function computeStandings(
  teams: readonly StandingsTeam[],
  matches: readonly StandingsMatch[],
  rules: StandingsRules,
): StandingsRow[] {
  const rowsById = new Map<string, StandingsRow>();
  for (const t of teams) {
    if (rowsById.has(t.id)) throw new RangeError(`Team ${t.id} is listed twice`);
    rowsById.set(t.id, {
      rank: 0,
      teamId: t.id,
      name: t.name,
      played: 0,
      won: 0,
      lost: 0,
      tied: 0,
      points: 0,
      linesWon: 0,
      linesLost: 0,
      setsWon: 0,
      setsLost: 0,
      gamesWon: 0,
      gamesLost: 0,
      forfeits: 0,
      linesPct: null,
      setsPct: null,
      gamesPct: null,
      decidedBy: null,
    });
  }

  for (const m of matches) {
    const home = rowsById.get(m.homeTeamId);
    const away = rowsById.get(m.awayTeamId);
    if (!home || !away) {
      const missing = home ? m.awayTeamId : m.homeTeamId;
      throw new RangeError(`Match ${m.id} names team ${missing}, which is not in this division`);
    }
    if (home === away) throw new RangeError(`Match ${m.id} has team ${m.homeTeamId} on both sides`);
    const sides = [
      [
        home,
        m.linesHome,
        m.linesAway,
        m.setsHome,
        m.setsAway,
        m.gamesHome,
        m.gamesAway,
        m.forfeitsHome,
      ],
      [
        away,
        m.linesAway,
        m.linesHome,
        m.setsAway,
        m.setsHome,
        m.gamesAway,
        m.gamesHome,
        m.forfeitsAway,
      ],
    ] as const;
    for (const [row, lw, ll, sw, sl, gw, gl, f] of sides) {
      row.played++;
      row.linesWon += lw;
      row.linesLost += ll;
      row.setsWon += sw;
      row.setsLost += sl;
      row.gamesWon += gw;
      row.gamesLost += gl;
      row.forfeits += f;
    }
    if (m.winner === 'tie') {
      home.tied++;
      away.tied++;
    } else {
      const [w, l] = m.winner === 'home' ? [home, away] : [away, home];
      w.won++;
      l.lost++;
    }
  }

  const rows = [...rowsById.values()];
  for (const r of rows) {
    r.points = pointsOf(r, rules);
    r.linesPct = pct(r.linesWon, r.linesLost);
    r.setsPct = pct(r.setsWon, r.setsLost);
    r.gamesPct = pct(r.gamesWon, r.gamesLost);
  }

  const blocks: Block[] = [];
  const groups = splitBy(rows, (r) => r.points);
  groups.forEach((group, i) => {
    blocks.push(...resolveGroup(group, matches, rules));
    const last = blocks.at(-1);
    if (last && i < groups.length - 1) last.decidedBy = 'points';
  });

  const table: StandingsRow[] = [];
  for (const block of blocks) {
    const rank = table.length + 1;
    block.rows.forEach((r, i) => {
      r.rank = rank;
      // Rows inside a block are level with the next row; only the block's last row was separated.
      r.decidedBy = i === block.rows.length - 1 ? block.decidedBy : null;
      table.push(r);
    });
  }
  return table;
}
