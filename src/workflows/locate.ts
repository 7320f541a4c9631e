/** Source positions inside template strings: a line of a `run:` script, a word on it. */
import type { TString, WorkflowModel } from './model.js';
import type { Span } from './yamlNodes.js';

/**
 * The source span of `needle` on line `lineIdx` (0-based) of a string's value. Block scalars map
 * value lines to source lines one to one; other styles are searched within the node, and fall back
 * to the node itself.
 */
export function locateInString(model: WorkflowModel, str: TString, lineIdx: number, needle?: string): Span {
  const node = str.node;
  if (node.style.startsWith('BLOCK')) {
    const header = model.lineCounter.linePos(node.span.start).line; // 1-based line of `|` or `>`
    const line = header + 1 + lineIdx;
    const start = model.lineCounter.lineStarts[line - 1];
    const text = model.lines[line - 1];
    if (start !== undefined && text !== undefined && start < node.span.end) {
      let idx = needle ? text.indexOf(needle) : -1;
      let len = needle?.length ?? 0;
      if (idx < 0) {
        idx = text.length - text.trimStart().length;
        len = text.trim().length;
      }
      return { start: start + idx, end: start + idx + Math.max(len, 1) };
    }
    return node.span;
  }
  if (needle) {
    const i = model.text.indexOf(needle, node.span.start);
    if (i >= 0 && i + needle.length <= node.span.end) return { start: i, end: i + needle.length };
  }
  return node.span;
}
