/** `keyfence audit --gitlab GROUP/PROJECT [--gitlab-url URL]`: the options, their help and their checks. */
import { UserError } from '../errors.js';
import type { GitLabTarget } from '../run/gitlabSettings.js';
import type { CommandContext } from './command.js';

export const GITLAB_AUDIT_OPTIONS = {
  gitlab: { type: 'string' },
  'gitlab-url': { type: 'string' },
} as const;

export const GITLAB_AUDIT_HELP = `      --gitlab GROUP/PROJECT  also audit this project's settings on GitLab (token in GITLAB_TOKEN,
                           scope read_api; variables and protected environments need the Maintainer role)
      --gitlab-url URL     the GitLab instance, for self-managed GitLab (default: CI_SERVER_URL, else https://gitlab.com)`;

/** The project --gitlab names, with the token and instance: usage errors before any scanning. */
export async function gitlabTarget(values: Record<string, unknown>, context: CommandContext): Promise<GitLabTarget | undefined> {
  const path = values.gitlab as string | undefined;
  if (path === undefined) {
    if (values['gitlab-url'] !== undefined) throw new UserError('--gitlab-url needs --gitlab GROUP/PROJECT', 'name the project, e.g. --gitlab my-group/my-project');
    return undefined;
  }
  const { parseProjectPath } = await import('../gitlab/auditSettings.js');
  const { gitLabTokenFromEnv, resolveGitLabUrl } = await import('../gitlab/client.js');
  const project = parseProjectPath(path);
  if (!project) throw new UserError(`--gitlab "${path}" is not GROUP/PROJECT`, 'give the project\'s full path, e.g. --gitlab my-group/my-project or --gitlab my-group/sub-group/my-project');
  const token = gitLabTokenFromEnv(context.env);
  if (!token) throw new UserError('--gitlab needs a token to read the project settings', 'set GITLAB_TOKEN to an access token with the read_api scope');
  return { project, token, baseUrl: resolveGitLabUrl(values['gitlab-url'] as string | undefined, context.env) };
}
