import { z } from 'zod';
import { Role } from './me';

/** Signing in: the providers offered, and demo sign-in. */

/** `GET /api/auth/config`: what the sign-in page offers. */
export const AuthConfig = z.object({
  oidcEnabled: z.boolean(),
  demoMode: z.boolean(),
  demoUsers: z.array(z.object({ key: z.string(), displayName: z.string(), role: Role.nullable() })),
});

export type AuthConfig = z.infer<typeof AuthConfig>;

/** Body of `POST /api/auth/demo`. */
export const DemoSignIn = z.object({ user: z.string().min(1).max(40) });
