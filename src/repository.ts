import { readFileSync } from 'node:fs';

/** Replaced with package.json's `homepage` by the bundler; read from package.json when running from source. */
declare const __KEYFENCE_HOMEPAGE__: string | undefined;

/**
 * The project's repository (package.json `homepage`, `repository` and `bugs` name the same one):
 * the one place every link to the project and its documentation comes from (reporters/ruleDocs.ts).
 */
export const REPOSITORY_URL: string = typeof __KEYFENCE_HOMEPAGE__ === 'string' ? __KEYFENCE_HOMEPAGE__ : homepageFromPackage();

function homepageFromPackage(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { homepage: string };
  return pkg.homepage;
}
