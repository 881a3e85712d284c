import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type MutationFunctionContext,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  Division,
  DivisionInput,
  League,
  LeagueInput,
  LeagueSummary,
  MyOrganizerInvite,
  OrganizerInvite,
  OrganizerInviteInput,
  Season,
  SeasonInput,
} from '#domain/schemas/leagues';
import { apiFetch, isApiError } from '../../lib/api';
import {
  idInKey,
  OFFLINE_WRITES,
  queryClient as appQueryClient,
  refreshOfWrite,
} from '../../lib/queryClient';

export const leaguesQueryKey = ['leagues'] as const;
export const leagueQueryKey = (leagueId: string) => ['league', leagueId] as const;

/** `GET /api/leagues`: public leagues, and private ones the user organizes or plays in. */
export const leaguesQuery = queryOptions({
  queryKey: leaguesQueryKey,
  queryFn: ({ signal }) => apiFetch<LeagueSummary[]>('/api/leagues', { signal }),
});

export function useLeagues() {
  return useQuery(leaguesQuery);
}

/** `GET /api/leagues/:id`, with its organizers, seasons and divisions. */
export function leagueQuery(leagueId: string) {
  return queryOptions({
    queryKey: leagueQueryKey(leagueId),
    queryFn: ({ signal }) => apiFetch<League>(`/api/leagues/${leagueId}`, { signal }),
  });
}

export function useLeague(leagueId: string) {
  return useQuery(leagueQuery(leagueId));
}

interface Write<T> {
  input: T;
  idempotencyKey: string;
}

function createLeague({ input, idempotencyKey }: Write<LeagueInput>) {
  return apiFetch<League>('/api/leagues', { method: 'POST', body: input, idempotencyKey });
}

/** The new league goes into the cache; the list refreshes. */
function createLeagueCallbacks(client: QueryClient) {
  return {
    onSuccess: (league: League) => {
      client.setQueryData(leagueQueryKey(league.id), league);
      return client.invalidateQueries({ queryKey: leaguesQueryKey });
    },
  };
}

/**
 * The league forms' writes can wait offline (DESIGN §5): each is registered once so that, queued
 * and the tab reloaded, it is still sent in order. The hooks add the league's id to the key.
 */
const CREATE_LEAGUE_KEY = ['create-league'] as const;
appQueryClient.setMutationDefaults(CREATE_LEAGUE_KEY, {
  mutationFn: createLeague,
  scope: OFFLINE_WRITES,
  ...createLeagueCallbacks(appQueryClient),
});

/** `POST /api/leagues` (organizers only). Can wait offline. */
export function useCreateLeague() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: CREATE_LEAGUE_KEY,
    mutationFn: createLeague,
    scope: OFFLINE_WRITES,
    ...createLeagueCallbacks(queryClient),
  });
}

export type UpdateLeagueVariables = Write<Partial<LeagueInput>> & { version: number };

function updateLeague(
  { input, version, idempotencyKey }: UpdateLeagueVariables,
  context: MutationFunctionContext,
) {
  return apiFetch<League>(`/api/leagues/${idInKey(context)}`, {
    method: 'PATCH',
    body: input,
    ifMatch: version,
    idempotencyKey,
  });
}

/** The saved league goes into the cache; a stale edit (412) makes the league read again. */
function updateLeagueCallbacks(client: QueryClient) {
  return {
    onSuccess: (league: League) => {
      client.setQueryData(leagueQueryKey(league.id), league);
      return client.invalidateQueries({ queryKey: leaguesQueryKey });
    },
    onError: (
      error: unknown,
      _variables: UpdateLeagueVariables,
      _onMutateResult: unknown,
      context: MutationFunctionContext,
    ) => {
      if (isApiError(error, 412))
        return client.invalidateQueries({ queryKey: leagueQueryKey(idInKey(context)) });
    },
  };
}

const UPDATE_LEAGUE_KEY = ['update-league'] as const;
appQueryClient.setMutationDefaults(UPDATE_LEAGUE_KEY, {
  mutationFn: updateLeague,
  scope: OFFLINE_WRITES,
  ...updateLeagueCallbacks(appQueryClient),
});

/**
 * `PATCH /api/leagues/:id` with the version the form started from; stale versions get 412. Can
 * wait offline.
 */
export function useUpdateLeague(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...UPDATE_LEAGUE_KEY, leagueId],
    mutationFn: updateLeague,
    scope: OFFLINE_WRITES,
    ...updateLeagueCallbacks(queryClient),
  });
}

export const organizerInvitesQueryKey = (leagueId: string) =>
  ['organizer-invites', leagueId] as const;
export const myOrganizerInvitesQueryKey = ['my-organizer-invites'] as const;

/** `GET /api/leagues/:id/organizer-invites`: the league's invitations to co-organize. */
export function useOrganizerInvites(leagueId: string, enabled: boolean) {
  return useQuery({
    queryKey: organizerInvitesQueryKey(leagueId),
    queryFn: ({ signal }) =>
      apiFetch<OrganizerInvite[]>(`/api/leagues/${leagueId}/organizer-invites`, { signal }),
    enabled,
  });
}

/**
 * `POST /api/leagues/:id/organizers`: invites an e-mail address to co-organize. The person joins
 * only once they accept, so the league itself does not change; the invitations list does.
 */
export function useInviteOrganizer(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: Write<OrganizerInviteInput>) =>
      apiFetch<OrganizerInvite>(`/api/leagues/${leagueId}/organizers`, {
        method: 'POST',
        body: input,
        idempotencyKey,
      }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: organizerInvitesQueryKey(leagueId) }),
  });
}

/** `DELETE /api/leagues/:id/organizer-invites/:inviteId`: withdraws a pending invitation. */
export function useWithdrawOrganizerInvite(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (inviteId: string) =>
      apiFetch<undefined>(`/api/leagues/${leagueId}/organizer-invites/${inviteId}`, {
        method: 'DELETE',
      }),
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: organizerInvitesQueryKey(leagueId) }),
  });
}

/** `GET /api/organizer-invites`: the signed-in user's pending invitations to co-organize. */
export function useMyOrganizerInvites() {
  return useQuery({
    queryKey: myOrganizerInvitesQueryKey,
    queryFn: ({ signal }) => apiFetch<MyOrganizerInvite[]>('/api/organizer-invites', { signal }),
  });
}

/** Accepts (the league comes back: the user now runs it) or declines an invitation. */
export function useAnswerOrganizerInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ inviteId, accept }: { inviteId: string; accept: boolean }) =>
      apiFetch<League | undefined>(
        `/api/organizer-invites/${inviteId}/${accept ? 'accept' : 'decline'}`,
        { method: 'POST' },
      ),
    onSuccess: (league) => {
      if (league) queryClient.setQueryData(leagueQueryKey(league.id), league);
      return queryClient.invalidateQueries({ queryKey: leaguesQueryKey });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: myOrganizerInvitesQueryKey }),
  });
}

export function useRemoveOrganizer(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, idempotencyKey }: { userId: string; idempotencyKey: string }) =>
      apiFetch<League>(`/api/leagues/${leagueId}/organizers/${userId}`, {
        method: 'DELETE',
        idempotencyKey,
      }),
    onSuccess: (league) => queryClient.setQueryData(leagueQueryKey(leagueId), league),
  });
}

/** The league (which carries its seasons and divisions) read again, from the write's key. */
const refreshLeagueOfWrite = (client: QueryClient) => refreshOfWrite(client, leagueQueryKey);

function createSeason(
  { input, idempotencyKey }: Write<SeasonInput>,
  context: MutationFunctionContext,
) {
  return apiFetch<Season>(`/api/leagues/${idInKey(context)}/seasons`, {
    method: 'POST',
    body: input,
    idempotencyKey,
  });
}

const createSeasonCallbacks = (client: QueryClient) => refreshLeagueOfWrite(client).onSuccess;

const CREATE_SEASON_KEY = ['create-season'] as const;
appQueryClient.setMutationDefaults(CREATE_SEASON_KEY, {
  mutationFn: createSeason,
  scope: OFFLINE_WRITES,
  ...createSeasonCallbacks(appQueryClient),
});

/** `POST /api/leagues/:id/seasons`. Can wait offline. */
export function useCreateSeason(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...CREATE_SEASON_KEY, leagueId],
    mutationFn: createSeason,
    scope: OFFLINE_WRITES,
    ...createSeasonCallbacks(queryClient),
  });
}

export type UpdateSeasonVariables = Write<Partial<SeasonInput>> & {
  seasonId: string;
  version: number;
};

function updateSeason({ seasonId, input, version, idempotencyKey }: UpdateSeasonVariables) {
  return apiFetch<Season>(`/api/seasons/${seasonId}`, {
    method: 'PATCH',
    body: input,
    ifMatch: version,
    idempotencyKey,
  });
}

/** Saved or refused (a stale version gets 412), the league is read again. */
const updateSeasonCallbacks = (client: QueryClient) => refreshLeagueOfWrite(client).onSettled;

const UPDATE_SEASON_KEY = ['update-season'] as const;
appQueryClient.setMutationDefaults(UPDATE_SEASON_KEY, {
  mutationFn: updateSeason,
  scope: OFFLINE_WRITES,
  ...updateSeasonCallbacks(appQueryClient),
});

/** `PATCH /api/seasons/:id`, e.g. to open or close registration. Can wait offline. */
export function useUpdateSeason(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...UPDATE_SEASON_KEY, leagueId],
    mutationFn: updateSeason,
    scope: OFFLINE_WRITES,
    ...updateSeasonCallbacks(queryClient),
  });
}

export type CreateDivisionVariables = Write<DivisionInput> & { seasonId: string };

function createDivision({ seasonId, input, idempotencyKey }: CreateDivisionVariables) {
  return apiFetch<Division>(`/api/seasons/${seasonId}/divisions`, {
    method: 'POST',
    body: input,
    idempotencyKey,
  });
}

const createDivisionCallbacks = (client: QueryClient) => refreshLeagueOfWrite(client).onSuccess;

const CREATE_DIVISION_KEY = ['create-division'] as const;
appQueryClient.setMutationDefaults(CREATE_DIVISION_KEY, {
  mutationFn: createDivision,
  scope: OFFLINE_WRITES,
  ...createDivisionCallbacks(appQueryClient),
});

/** `POST /api/seasons/:id/divisions`. Can wait offline. */
export function useCreateDivision(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...CREATE_DIVISION_KEY, leagueId],
    mutationFn: createDivision,
    scope: OFFLINE_WRITES,
    ...createDivisionCallbacks(queryClient),
  });
}

/** `DELETE /api/divisions/:id`: only a division without teams. */
export function useDeleteDivision(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ divisionId, idempotencyKey }: { divisionId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/divisions/${divisionId}`, { method: 'DELETE', idempotencyKey }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: leagueQueryKey(leagueId) }),
  });
}

/** `DELETE /api/leagues/:id`: only a league without teams (409 otherwise). */
export function useDeleteLeague(leagueId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<undefined>(`/api/leagues/${leagueId}`, { method: 'DELETE', idempotencyKey }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: leaguesQueryKey }),
  });
}
