import {
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
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
import { apiFetch, apiFetchPage, isApiError, type ApiPage } from '../../lib/api';
import { idInKey, offlineWrite, refreshOfWrite } from '../../lib/queryClient';

export const leaguesQueryKey = ['leagues'] as const;
export const leagueQueryKey = (leagueId: string) => ['league', leagueId] as const;

/** The league list as the first page's address says it: with `?q=` when there is a search. */
function firstLeaguesPage(q: string): string {
  return q ? `/api/leagues?${new URLSearchParams({ q }).toString()}` : '/api/leagues';
}

/**
 * The first page of `GET /api/leagues`: the user's own leagues first (those they organize, play
 * in or are invited to), then public ones by name. Kept with its next page's address, so that the
 * leagues page can go on from it (`useLeaguePages`).
 */
export const leaguesQuery = queryOptions({
  // Not `leaguesQueryKey` itself: a copy persisted by a version before paging holds an array
  // there, and this query's data is a page (`ApiPage`).
  queryKey: [...leaguesQueryKey, 'first'] as const,
  queryFn: ({ signal }) => apiFetchPage<LeagueSummary[]>(firstLeaguesPage(''), { signal }),
});

/** The first page of leagues (the dashboard's card, pickers): an array, as before paging. */
export function useLeagues() {
  return useQuery({ ...leaguesQuery, select: (page) => page.body });
}

/** Under `leaguesQueryKey`, so that what refreshes the list refreshes every search of it too. */
export const leaguePagesQueryKey = (q: string) => [...leaguesQueryKey, 'pages', q] as const;

/**
 * The leagues page: `GET /api/leagues?q=` a page at a time, each next page from the `Link`
 * header of the one before (`fetchNextPage`). Without a search, the first page is the one the
 * dashboard read, if it did: shown at once, and offline too (it is persisted with the cache).
 */
export function useLeaguePages(q: string) {
  const client = useQueryClient();
  const first = firstLeaguesPage(q);
  return useInfiniteQuery({
    queryKey: leaguePagesQueryKey(q),
    queryFn: ({ pageParam, signal }) => apiFetchPage<LeagueSummary[]>(pageParam, { signal }),
    initialPageParam: first,
    getNextPageParam: (last) => last.next ?? undefined,
    // While a new search loads, the list of the last one stays rather than a spinner per key.
    placeholderData: keepPreviousData,
    initialData: (): InfiniteData<ApiPage<LeagueSummary[]>, string> | undefined => {
      const page = q === '' ? client.getQueryData(leaguesQuery.queryKey) : undefined;
      return page && { pages: [page], pageParams: [first] };
    },
    initialDataUpdatedAt: () =>
      q === '' ? client.getQueryState(leaguesQuery.queryKey)?.dataUpdatedAt : undefined,
  });
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
 * `POST /api/leagues` (organizers only). Can wait offline (DESIGN §5): queued and the tab
 * reloaded, it is still sent in order.
 */
export const useCreateLeague = offlineWrite({
  key: 'create-league',
  mutationFn: createLeague,
  callbacks: createLeagueCallbacks,
});

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

/**
 * `PATCH /api/leagues/:id` (the league's id after the key) with the version the form started
 * from; stale versions get 412. Can wait offline.
 */
export const useUpdateLeague = offlineWrite({
  key: 'update-league',
  mutationFn: updateLeague,
  callbacks: updateLeagueCallbacks,
});

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

/** `POST /api/leagues/:id/seasons`, the league's id after the key. Can wait offline. */
export const useCreateSeason = offlineWrite({
  key: 'create-season',
  mutationFn: createSeason,
  callbacks: (client) => refreshLeagueOfWrite(client).onSuccess,
});

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

/**
 * `PATCH /api/seasons/:id`, e.g. to open or close registration; the league's id after the key.
 * Saved or refused (a stale version gets 412), the league is read again. Can wait offline.
 */
export const useUpdateSeason = offlineWrite({
  key: 'update-season',
  mutationFn: updateSeason,
  callbacks: (client) => refreshLeagueOfWrite(client).onSettled,
});

export type CreateDivisionVariables = Write<DivisionInput> & { seasonId: string };

function createDivision({ seasonId, input, idempotencyKey }: CreateDivisionVariables) {
  return apiFetch<Division>(`/api/seasons/${seasonId}/divisions`, {
    method: 'POST',
    body: input,
    idempotencyKey,
  });
}

/** `POST /api/seasons/:id/divisions`, the league's id after the key. Can wait offline. */
export const useCreateDivision = offlineWrite({
  key: 'create-division',
  mutationFn: createDivision,
  callbacks: (client) => refreshLeagueOfWrite(client).onSuccess,
});

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
