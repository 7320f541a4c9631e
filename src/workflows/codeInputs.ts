/**
 * Inputs of well-known actions that run their text as code: a `${{ }}` expansion there is code
 * injection, as in a `run:` script. Input names are those of each action's action.yml (GitHub
 * matches input names without regard to case; the model lowers them).
 */
export interface CodeInput {
  /** The action as `uses:` names it, lower case, without the ref. */
  action: string;
  /** The input, lower case. */
  input: string;
  /** What the text is run as, for the message ("<language> injection"). */
  language: string;
  /** How to pass a value as data instead, for the message. */
  fix: string;
}

const CODE_INPUTS: readonly CodeInput[] = [
  { action: 'actions/github-script', input: 'script', language: 'JavaScript', fix: 'Pass it through `env:` and read `process.env.VALUE` in the script.' },
  { action: 'amadevus/pwsh-script', input: 'script', language: 'PowerShell', fix: 'Pass it through `env:` and read `$env:VALUE` in the script.' },
  { action: 'azure/powershell', input: 'inlinescript', language: 'PowerShell', fix: 'Pass it through `env:` and read `$env:VALUE` in the script.' },
  { action: 'azure/cli', input: 'inlinescript', language: 'Bash', fix: 'Pass it through `env:` and read `"$VALUE"` in the script.' },
  { action: 'mikefarah/yq', input: 'cmd', language: 'yq command', fix: 'Pass it through `env:` and read it with `strenv(VALUE)` in the expression.' },
  { action: 'appleboy/ssh-action', input: 'script', language: 'remote shell', fix: 'Do not expand event text into the remote script: pass it with the `envs:` input and read `"$VALUE"` there.' },
];

/** The code inputs a step sets, by its action's name (from `actionName`). */
export function codeInputsOf(action: string): readonly CodeInput[] {
  return CODE_INPUTS.filter((c) => c.action === action);
}
