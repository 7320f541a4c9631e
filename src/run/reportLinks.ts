/**
 * Links from a report to the lines it names, worked out from the CI environment so reporters only
 * format. On GitHub Actions: `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/<sha>/<path>#L<line>`, at
 * the finding's own commit when it has one (history, diff) and at `$GITHUB_SHA` otherwise.
 */
export function githubLinker(env: NodeJS.ProcessEnv): ((file: string, line: number, commit?: string) => string | undefined) | undefined {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^https?:\/\//.test(server)) return undefined;
  return (file, line, commit) => {
    const ref = commit ?? sha;
    if (!ref || !/^[0-9a-f]{7,64}$/i.test(ref)) return undefined;
    const path = file
      .split('/')
      .map((s) => encodeURIComponent(s))
      .join('/');
    return `${server}/${repository}/blob/${ref}/${path}#L${line}`;
  };
}
