import { execFileSync } from 'node:child_process';

/** End-to-end tests run the built CLI exactly as users do, so build it once before them. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
