import type { Me } from '#domain/schemas/me';
import { LEVEL_LABELS, SPORT_LABELS } from '#domain/schemas/me';

/** Short level names for the summary; the long ones in LEVEL_LABELS explain each level. */
function shortLevel(level: keyof typeof LEVEL_LABELS): string {
  return LEVEL_LABELS[level].split(' — ')[0] ?? level;
}

export function ProfileSummary({
  profile,
  email,
}: {
  profile: NonNullable<Me['profile']>;
  email: string | null;
}) {
  return (
    <dl className="summary">
      <div className="summary__row">
        <dt>City or club</dt>
        <dd>{profile.cityOrClub}</dd>
      </div>
      <div className="summary__row">
        <dt>Sports</dt>
        <dd>
          <ul className="tag-list">
            {profile.sports.map(({ sport, level }) => (
              <li key={sport} className="tag">
                {SPORT_LABELS[sport]} <span className="tag__detail">· {shortLevel(level)}</span>
              </li>
            ))}
          </ul>
        </dd>
      </div>
      {profile.phone ? (
        <div className="summary__row">
          <dt>Phone</dt>
          <dd>{profile.phone}</dd>
        </div>
      ) : null}
      {email ? (
        <div className="summary__row">
          <dt>Email</dt>
          <dd>{email}</dd>
        </div>
      ) : null}
    </dl>
  );
}
