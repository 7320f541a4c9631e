// The pinned corpus list (corpus.json beside this file): which packages, at which exact version,
// from which registry, in which language.

import { readFileSync } from 'node:fs';
import { SetupError } from './errors.mjs';

const SOURCES = ['npm', 'deb'];
/** An exact version for each registry: semver without a range for npm; Debian's [epoch:]upstream[-revision]. */
const EXACT = {
  npm: /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
  deb: /^(?:\d+:)?[0-9][0-9A-Za-z.+~-]*$/,
};

/**
 * The folder a package is extracted to, under the corpus root: its name, with the `/` of an npm
 * scope made a `+` so that the first segment of a finding's path always names the package.
 */
const dirName = (entry) => entry.name.replace('/', '+');

/** The packages of corpus.json, checked: a typo there should fail before anything is downloaded. */
export function loadCorpus(file) {
  let list;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SetupError(`cannot read the corpus list ${file}: ${error.message}`);
  }
  if (!Array.isArray(list) || list.length === 0) throw new SetupError(`${file}: expected a non-empty array of packages`);
  const seen = new Set();
  return list.map((entry, i) => {
    const at = `${file}: entry ${i + 1}`;
    for (const key of ['name', 'version', 'language']) {
      if (typeof entry[key] !== 'string' || entry[key] === '') throw new SetupError(`${at}: "${key}" must be a non-empty string`);
    }
    if (!SOURCES.includes(entry.source)) throw new SetupError(`${at}: "source" must be one of ${SOURCES.join(', ')}`);
    // An exact version, never a range or a tag: the corpus must be the same on every machine.
    if (!EXACT[entry.source].test(entry.version)) throw new SetupError(`${at}: "${entry.version}" is not an exact ${entry.source} version`);
    const dir = dirName(entry);
    if (seen.has(dir)) throw new SetupError(`${at}: ${entry.name} is listed twice`);
    seen.add(dir);
    return { name: entry.name, version: entry.version, source: entry.source, language: entry.language, dir };
  });
}

/** How a package is named to its registry's client. */
export const spec = (entry) => (entry.source === 'npm' ? `${entry.name}@${entry.version}` : `${entry.name}=${entry.version}`);
