/** Where a step, or one command of its script, sits in the source: what a finding points at. */
import { locateInString } from './locate.js';
import type { Step, WorkflowModel } from './model.js';
import type { ShellCommand } from './shell.js';
import type { Span } from './yamlNodes.js';

/** The step's `run:` key, else its `uses:` value, else its first key. */
export function stepSpan(step: Step): Span {
  return (step.runKey ?? step.uses?.node ?? step.node.pairs[0]?.key ?? step.node).span;
}

/** The line of a step's script that holds a command; the step itself when it has no script. */
export function commandSpan(model: WorkflowModel, step: Step, cmd: ShellCommand | undefined): Span {
  if (!cmd || !step.run) return stepSpan(step);
  return locateInString(model, step.run, cmd.line, cmd.words.join(' '));
}
