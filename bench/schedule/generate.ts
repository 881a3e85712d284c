/**
 * Schedule generator benchmark (scheduling issue: "a double round robin for 64 teams with venue
 * constraints: under 1 second"). Builds a fixed 64-team division — 8 venues of 4 courts, two match
 * days a week, 3 start times, league blackouts and team unavailable dates — and times
 * `generateSchedule` over many runs.
 *
 *   node --import tsx bench/schedule/generate.ts [--runs 50]
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateSchedule } from '#domain/rules/schedule';
import { ScheduleInput } from '#domain/schemas/schedule';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

// A fixed linear congruential sequence: the same division on every run and every machine.
let seed = 20_270_104;
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const dayIn2027 = () =>
  new Date(Date.UTC(2027, 0, 4 + Math.floor(next() * 360))).toISOString().slice(0, 10);

const hours = (['tue', 'thu', 'sat'] as const).map((weekday) => ({
  weekday,
  from: '17:30',
  to: '23:00',
}));
const raw: ScheduleInput = {
  venues: Array.from({ length: 8 }, (_, v) => ({
    id: `venue-${v + 1}`,
    name: `Venue ${v + 1}`,
    courts: 4,
    availability: hours,
  })),
  teams: Array.from({ length: 64 }, (_, t) => ({
    id: `team-${String(t + 1).padStart(2, '0')}`,
    name: `Team ${t + 1}`,
    homeVenueId: `venue-${(t % 8) + 1}`,
    unavailableDates: Array.from({ length: 3 }, dayIn2027),
  })),
  courtsPerMatch: 2,
  startsOn: '2027-01-04',
  endsOn: '2028-12-31',
  matchDays: ['tue', 'thu'],
  roundsPerWeek: 2,
  timeSlots: ['18:00', '19:30', '21:00'],
  matchMinutes: 90,
  doubleRoundRobin: true,
  blackoutDates: [
    '2027-04-06',
    '2027-05-27',
    '2027-12-21',
    '2027-12-23',
    '2027-12-28',
    '2027-12-30',
  ],
};
const input = ScheduleInput.parse(raw);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

function time(fn: () => unknown): number[] {
  for (let i = 0; i < Math.min(5, runs); i++) fn(); // warm-up: let the JIT compile the hot paths
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const result = generateSchedule(input);
const generate = time(() => generateSchedule(input));
const parseAndGenerate = time(() => generateSchedule(ScheduleInput.parse(raw)));
// A second division of the league built after the first was published: the first's matches hold
// the shared venues' courts (the worst case: most of its matches find no court).
const sharing = ScheduleInput.parse({
  ...raw,
  venueBookings: result.matches
    .filter((m) => m.date !== null && m.awayTeamId !== null)
    .map((m) => ({
      venueId: m.venueId,
      date: m.date,
      startTime: m.startTime,
      durationMinutes: raw.matchMinutes,
      courts: m.courts,
      status: 'scheduled',
      label: `Division 1: ${m.homeTeamId} v ${m.awayTeamId}`,
    })),
});
const second = generateSchedule(sharing);
const generateSharing = time(() => generateSchedule(sharing));

const cpu = cpus();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores; Node ${process.version}`,
);
console.log(
  `division: 64 teams, double round robin, 8 venues x 4 courts, 2 match days a week, 3 slots -> ` +
    `${result.matches.filter((m) => m.awayTeamId !== null).length} matches ` +
    `(${result.matches.filter((m) => m.date !== null && m.awayTeamId !== null).length} placed), ` +
    `${result.problems.length} problems`,
);
console.log(
  `second division at the same venues, ${sharing.venueBookings.length} court bookings -> ` +
    `${second.matches.filter((m) => m.date !== null && m.awayTeamId !== null).length} placed, ` +
    `${second.problems.length} problems`,
);
for (const [label, times] of [
  ['generateSchedule', generate],
  ['parse + generateSchedule', parseAndGenerate],
  ['generateSchedule, second division', generateSharing],
] as const) {
  console.log(
    `${label}: median ${quantile(times, 0.5).toFixed(2)} ms, p95 ${quantile(times, 0.95).toFixed(2)} ms over ${runs} runs`,
  );
}
