export { leagueQueryKey, useLeague, useLeaguePages, useLeagues } from './api';
export { DeleteLeague } from './DeleteLeague';
export { formatSummary, levelBand, sportName } from './labels';
export { LeagueForm } from './LeagueForm';
export { LeagueList } from './LeagueList';
export { OrganizerInvitations } from './OrganizerInvitations';
export { Organizers } from './Organizers';
export { SeasonForm } from './SeasonForm';
export { divisionPath, SeasonSection } from './SeasonSection';
