/**
 * Round-robin pairings by the circle method (scheduling issue): one team stays put, the others
 * rotate one place per round, and a phantom team gives the bye when the count is odd.
 */

/** One pairing of a round; `away` is null when `home` has the bye. */
export interface Pairing {
  home: string;
  away: string | null;
}

/**
 * The rounds of a single or double round robin, in play order.
 *
 * Sides follow de Werra's canonical orientation: the fixed team alternates home and away each
 * round, and the k-th pair from it has the rotating team "ahead" at home when k is odd. That gives
 * every team at most one home/away difference and the fewest possible breaks (two home or two
 * away games in a row): n − 2 for an even count, none for an odd one.
 *
 * The second half of a double round robin repeats the pairings with sides swapped, starting from
 * the first half's second round: started from the first round, a team whose first half ends with
 * a break would play three home (or away) games in a row at the turn; shifted by one, no team ever
 * has more than two in a row.
 */
export function roundRobinRounds(teamIds: readonly string[], double: boolean): Pairing[][] {
  const ids: (string | null)[] = [...teamIds];
  if (ids.length % 2 === 1) ids.push(null);
  const rotating = ids.length - 1;
  const fixed = ids[rotating] ?? null;
  const at = (i: number) => ids[((i % rotating) + rotating) % rotating] ?? null;
  const first: Pairing[][] = [];
  for (let r = 0; r < rotating; r++) {
    const round: Pairing[] = [];
    let bye: Pairing | null = null;
    for (let k = 0; k < ids.length / 2; k++) {
      // k = 0 is the fixed team against the rotating team at position r.
      const [ahead, behind] = k === 0 ? [at(r), fixed] : [at(r + k), at(r - k)];
      const aheadHome = k === 0 ? r % 2 === 0 : k % 2 === 1;
      const [home, away] = aheadHome ? [ahead, behind] : [behind, ahead];
      if (home === null || away === null) bye = { home: (home ?? away) as string, away: null };
      else round.push({ home, away });
    }
    // The bye goes last so that match numbers within a round count real matches only.
    if (bye) round.push(bye);
    first.push(round);
  }
  if (!double) return first;
  const swapped = (round: Pairing[]) =>
    round.map((p) => (p.away === null ? p : { home: p.away, away: p.home }));
  const second = first.map((_, i) => swapped(first[(i + 1) % first.length] ?? []));
  return [...first, ...second];
}

/**
 * Orders teams for `roundRobinRounds` so that each two consecutive teams of `teamIds` (1st and
 * 2nd, 3rd and 4th, …) get complementary home/away patterns: in every round one is at home and the
 * other away, byes aside. Listing the teams that share a venue next to each other therefore splits
 * their home games evenly over the rounds, instead of crowding the venue's courts every other week.
 *
 * In the circle's positions, the fixed team and position 0 are complementary, and so are positions
 * 2j−1 and 2j; with an odd count (the bye as the fixed "team") position 0 is left alone.
 */
export function complementaryOrder(teamIds: readonly string[]): string[] {
  const n = teamIds.length;
  const positions =
    n % 2 === 0
      ? [n - 1, ...Array.from({ length: n - 1 }, (_, i) => i)]
      : [...Array.from({ length: n - 1 }, (_, i) => i + 1), 0];
  const order = new Array<string>(n);
  positions.forEach((position, k) => {
    order[position] = teamIds[k] as string;
  });
  return order;
}
