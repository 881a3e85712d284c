export { myTeamsQueryKey, teamQueryKey, useDivisionTeams, useMyTeams, useTeam } from './api';
export { Roster } from './Roster';
export { DeleteTeam, LeaveTeam, TransferCaptaincy } from './TeamActions';
export { TeamForm } from './TeamForm';
export { DivisionTeamList, MyTeamList } from './TeamLists';
