/**
 * Says why a write is disabled while offline: invitations, deletions and joins cannot be queued,
 * because their outcome (a place on a roster, a lost team) must be known at once.
 */
export function NeedsConnection({ online, children }: { online: boolean; children: string }) {
  if (online) return null;
  return (
    <p className="needs-connection" role="status">
      {children}
    </p>
  );
}
