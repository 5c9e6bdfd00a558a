// Keeps package-lock.json installable with `npm ci` when the registry in use does not serve the
// platform builds of other operating systems (a lock written here then lacks them, and npm ci
// refuses it). Adds a lock entry, marked optional and limited to its platform, for every
// optional dependency of a locked package that the lock does not hold. Idempotent.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = [
  ['android', 'android'],
  ['darwin', 'darwin'],
  ['linux', 'linux'],
  ['win32', 'win32'],
  ['freebsd', 'freebsd'],
];
const CPUS = ['arm64', 'x64', 'ia32', 'arm'];

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const folder = path === '' ? '' : `${path}/`;
    if (lock.packages[`${folder}node_modules/${name}`] || lock.packages[`node_modules/${name}`]) continue;
    lock.packages[`node_modules/${name}`] = placeholder(name, range, entry);
    added += 1;
  }
}
if (added > 0) writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile-platforms: added ${added} platform entries`);

function placeholder(name, range, parent) {
  const base = name.split('/').pop();
  const os = PLATFORMS.find(([word]) => base.includes(word))?.[1];
  const cpu = CPUS.find((word) => base.split('-').includes(word));
  return {
    version: range.replace(/^[\^~=]/, ''),
    ...(parent.dev ? { dev: true } : {}),
    optional: true,
    ...(os ? { os: [os] } : {}),
    ...(cpu ? { cpu: [cpu] } : {}),
    ...(base.endsWith('-musl') ? { libc: ['musl'] } : {}),
  };
}
