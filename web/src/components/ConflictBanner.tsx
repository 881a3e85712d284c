import type { ReactNode } from 'react';
import { Banner, type BannerTone } from './Banner';
import { Button } from './Button';

export interface ConflictBannerProps {
  /** What was changed elsewhere, as in "This team was changed elsewhere". */
  what: string;
  /** A title other than "This <what> was changed elsewhere". */
  title?: string;
  tone?: BannerTone;
  /** Loads the server's copy into the form ("keep theirs"), when the newer copy is at hand. */
  onLoadTheirs?: () => void;
  loadTheirsLabel?: string;
  /** What to do next; by default, load the newer version and make the changes again. */
  children?: ReactNode;
}

/**
 * The one "changed elsewhere" banner: a save sent with `If-Match` a version older than the
 * server's was refused (412), and the user chooses what to keep.
 */
export function ConflictBanner({
  what,
  title = `This ${what} was changed elsewhere`,
  tone = 'error',
  onLoadTheirs,
  loadTheirsLabel = 'Load the newer version',
  children = 'Someone saved it after you opened this form. Load the newer version, then make your changes again.',
}: ConflictBannerProps) {
  return (
    <Banner
      tone={tone}
      title={title}
      actions={
        onLoadTheirs ? (
          <Button variant="secondary" onClick={onLoadTheirs}>
            {loadTheirsLabel}
          </Button>
        ) : null
      }
    >
      {children}
    </Banner>
  );
}
