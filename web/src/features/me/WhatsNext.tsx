import type { Role } from '#domain/schemas/me';

/** What each role does in Rally Connect today. */
const NOW: Record<Role, string[]> = {
  player: [
    'Join the teams your captains invite you to, with the link they send.',
    'See your team, its roster and the public leagues.',
  ],
  captain: [
    "Create your team in a league's division.",
    'Invite players by link or e-mail, and keep the roster up to date.',
  ],
  organizer: [
    'Create leagues with their match format and roster sizes.',
    'Add seasons and divisions, and open or close registration.',
  ],
};

/** What each role will do as Rally Connect grows. */
const SOON: Record<Role, string[]> = {
  player: [
    'Tell your captain when you can play, and see your schedule.',
    'Follow scores, standings and your rating as the season goes.',
  ],
  captain: [
    'Collect availability and set lineups for each match.',
    'Enter scores and keep your players in the loop.',
  ],
  organizer: [
    'Build the match schedule for your teams.',
    'Settle results, standings and ratings at the end of each round.',
  ],
};

/** What the user's role lets them do now, and what is coming; no made-up data. */
export function WhatsNext({ role }: { role: Role }) {
  return (
    <div className="stack stack--tight">
      <p>You can already:</p>
      <ul className="checklist">
        {NOW[role].map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <p>Coming soon:</p>
      <ul className="checklist">
        {SOON[role].map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
