/**
 * A quiet confirmation beside a submit button. The live region is always rendered, so screen
 * readers announce the message when it appears.
 */
export function SavedStatus({ show, message }: { show: boolean; message?: string }) {
  return (
    <p className="saved-status" role="status">
      {show && message ? (
        <>
          <span aria-hidden="true">✓ </span>
          {message}
        </>
      ) : null}
    </p>
  );
}
