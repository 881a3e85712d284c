import { z } from 'zod';

/**
 * `GET /api/client-config`: what the web app learns at run time, not at build time, because one
 * built image serves many deployments (issue #13).
 */
export const ClientConfig = z.object({
  errorTracking: z
    .object({
      dsn: z.string().describe('The public DSN the web app reports its errors to'),
      environment: z.string(),
      release: z.string(),
    })
    .nullable()
    .describe('Error tracking (Sentry or GlitchTip), or null when the server has no SENTRY_DSN'),
});

export type ClientConfig = z.infer<typeof ClientConfig>;
