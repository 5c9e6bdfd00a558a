import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** The address `scripts/services.sh` gives its own moto; any other endpoint is not ours to stop. */
export const SCRIPT_MOTO_ENDPOINT = 'http://127.0.0.1:4566';

/** Stops or starts the moto server the project's script manages. */
export async function moto(action: 'down' | 'up'): Promise<void> {
  await run('bash', ['scripts/services.sh', action, 'moto'], { cwd: repositoryRoot, timeout: 120_000 });
}
