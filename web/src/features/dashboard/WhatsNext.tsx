import type { Role } from '../../../../domain/schemas/profile';

const NEXT: Record<Role, string[]> = {
  player: [
    'Join the teams your captains invite you to.',
    'Tell your captain when you can play, and see your schedule.',
    'Follow scores, standings and your rating as the season goes.',
  ],
  captain: [
    'Create your team and invite players by e-mail.',
    'Collect availability and set lineups for each match.',
    'Enter scores and keep your players in the loop.',
  ],
  organizer: [
    'Create leagues, seasons and divisions.',
    'Build the match schedule for your teams.',
    'Settle results, standings and ratings at the end of each round.',
  ],
};

/** What the user's role will let them do as Rally Connect grows; no made-up data. */
export function WhatsNext({ role }: { role: Role }) {
  return (
    <ul className="checklist">
      {NEXT[role].map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
