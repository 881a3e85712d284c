import { Banner } from './Banner';

/**
 * Shown while a write waits for the network: TanStack Query pauses mutations when the device is
 * offline and sends them when it is back.
 */
export function OfflineNotice({ paused, children }: { paused: boolean; children: string }) {
  if (!paused) return null;
  return (
    <Banner tone="warning" title="You are offline">
      {children}
    </Banner>
  );
}
