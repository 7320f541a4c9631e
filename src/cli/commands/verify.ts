import { UserError } from '../../errors.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'about --verify: `keyfence verify --hosts` prints the only hosts a found credential is ever sent to',
  usage: `Usage: keyfence verify --hosts [--format text|json]

--verify on scan, diff, history and audit asks each provider whether a credential found is live
(read-only, one request per distinct value, cached; docs/verification.md). This prints the fixed
list of hosts those requests may go to, with the provider and endpoint of each, so a firewall or
proxy can allow exactly them.

      --hosts              print the host list
  -f, --format FORMAT      text (default) or json`,
  async run(context) {
    const { parseArgs } = await import('node:util');
    let values;
    try {
      ({ values } = parseArgs({ args: context.args, options: { hosts: { type: 'boolean' }, format: { type: 'string', short: 'f' } }, strict: true }));
    } catch (error) {
      throw new UserError(`verify: ${(error as Error).message}`, 'run `keyfence verify --help` for usage');
    }
    if (!values.hosts) throw new UserError('verify: nothing to do', 'run `keyfence verify --hosts`, or scan with --verify');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`verify: unknown format "${format}"`, 'use text or json');
    const { verificationHosts } = await import('../../verification/registry.js');
    const hosts = verificationHosts();
    if (format === 'json') context.stdout.write(`${JSON.stringify(hosts, null, 2)}\n`);
    else {
      const width = Math.max(...hosts.map((h) => h.host.length));
      for (const h of hosts) context.stdout.write(`${h.host.padEnd(width)}  ${h.provider}: ${h.endpoint}\n`);
    }
    return 0;
  },
};
