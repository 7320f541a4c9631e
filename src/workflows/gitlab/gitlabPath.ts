/** The one definition of a GitLab pipeline file: `.gitlab-ci.yml` (or `.yaml`) at any depth. */
export function isGitlabPipelineFile(path: string): boolean {
  return /(^|\/)\.gitlab-ci\.ya?ml$/i.test(path.replace(/\\/g, '/'));
}
