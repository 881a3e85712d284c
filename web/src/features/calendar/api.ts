import { useMutation } from '@tanstack/react-query';
import { apiFetch } from '../../lib/api';

export interface CalendarFeed {
  id: string;
  url: string;
}

/** `POST /api/me/calendar` or `POST /api/teams/:id/calendar`: the URL is shown once. */
export function useCreateFeed(teamId?: string) {
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiFetch<CalendarFeed>(teamId ? `/api/teams/${teamId}/calendar` : '/api/me/calendar', {
        method: 'POST',
        idempotencyKey,
      }),
  });
}

/** `DELETE /api/calendar-feeds/:id`: the URL stops working. */
export function useRevokeFeed() {
  return useMutation({
    mutationFn: ({ feedId, idempotencyKey }: { feedId: string; idempotencyKey: string }) =>
      apiFetch<undefined>(`/api/calendar-feeds/${feedId}`, { method: 'DELETE', idempotencyKey }),
  });
}
