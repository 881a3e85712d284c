/**
 * Preloaded (`--import`) into a server process by server/faults/crash-report.test.ts: once the
 * server answers `/health`, throws from a timer, an uncaught exception that nothing catches.
 */
const timer = setInterval(() => {
  fetch(`http://127.0.0.1:${process.env.PORT}/health`).then(
    (response) => {
      if (!response.ok) return;
      clearInterval(timer);
      setTimeout(() => {
        throw new Error('crashed while serving crash.test@example.org');
      }, 10);
    },
    () => {},
  );
}, 200);
