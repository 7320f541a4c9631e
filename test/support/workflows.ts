/**
 * The classic "pwn request": a job on `trigger` (by default `pull_request_target`) that checks out
 * the pull request's code and runs it with a secret in reach. On `pull_request` the same job is
 * safe (a fork gets no secrets and a read-only token). `name` adds a `name:` line first, which moves
 * every line below it down by one.
 */
export function pwnRequestWorkflow({ trigger = 'pull_request_target', name }: { trigger?: string; name?: string } = {}): string {
  return [
    ...(name ? [`name: ${name}`] : []),
    `on: ${trigger}`,
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ github.event.pull_request.head.sha }}',
    '      - run: npm install && npm test',
    '        env:',
    '          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
    '',
  ].join('\n');
}
