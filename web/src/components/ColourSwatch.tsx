/**
 * A small sample of a team colour. The colour is an SVG attribute, not a style, so the strict CSP
 * (no inline styles) allows it; the hex value is always written beside it for those who can't see it.
 */
export function ColourSwatch({ colour }: { colour: string }) {
  return (
    <svg className="swatch" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
      <rect x="0.5" y="0.5" width="19" height="19" rx="4" fill={colour} stroke="#6b7872" />
    </svg>
  );
}
