import { fileURLToPath } from 'node:url';

/** First-run password of `admin` in the e2e server (test-only, random per checkout is not needed). */
export const ADMIN_PASSWORD = 'e2e-admin-password-0001';
/** Screenshots and the server log (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));
