/**
 * Links from a report to the lines it names, worked out from the CI environment so reporters only
 * format. On GitHub Actions: `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/<sha>/<path>#L<line>`, at
 * the finding's own commit when it has one (history, diff) and at `$GITHUB_SHA` otherwise.
 * A finding that names its repository (`repository` of an organisation's or a merged report, on
 * the same server) links into that repository: at its own commit, else at `HEAD` (its default
 * branch, which the audit scanned); `$GITHUB_SHA` is the commit the run started from, not the one
 * it scanned there, even when the repository is the run's own.
 */
export type Linker = (file: string, line: number, commit?: string, repository?: string) => string | undefined;

/** A path in a URL: each segment percent-encoded. */
const encodedPath = (file: string) =>
  file
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');

export function githubLinker(env: NodeJS.ProcessEnv): Linker | undefined {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^https?:\/\//.test(server)) return undefined;
  return (file, line, commit, findingRepository) => {
    // A setting's pseudo-path (`github:OWNER/REPO/…`, `gitlab:GROUP/PROJECT/…`) is no file to link to.
    if (/^(github|gitlab):/.test(file)) return undefined;
    const named = findingRepository !== undefined;
    if (named && !/^[\w.-]+\/[\w.-]+$/.test(findingRepository)) return undefined;
    const ref = commit ?? (named ? 'HEAD' : sha);
    if (!ref || !(/^[0-9a-f]{7,64}$/i.test(ref) || (named && ref === 'HEAD'))) return undefined;
    return `${server}/${findingRepository ?? repository}/blob/${ref}/${encodedPath(file)}#L${line}`;
  };
}

/**
 * Links into the projects of a GitLab instance (`audit --gitlab-group`), whatever CI runs the audit:
 * `<instance>/<project path>/-/blob/<ref>/<path>#L<line>`, at the finding's own commit, else at
 * `HEAD` (the default branch, which the audit scanned). Only findings that name their project (the
 * path with its groups, `group/sub/project`) link; a GitLab setting's pseudo-path does not.
 */
export function gitlabLinker(instanceUrl: string): Linker | undefined {
  const instance = instanceUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(instance)) return undefined;
  return (file, line, commit, project) => {
    if (project === undefined || !/^[\w.-]+(\/[\w.-]+)+$/.test(project) || /^(github|gitlab):/.test(file)) return undefined;
    const ref = commit ?? 'HEAD';
    if (ref !== 'HEAD' && !/^[0-9a-f]{7,64}$/i.test(ref)) return undefined;
    return `${instance}/${project}/-/blob/${ref}/${encodedPath(file)}#L${line}`;
  };
}
