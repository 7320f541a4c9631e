import type { Fragment } from '../sources/fragment.js';

/**
 * The one place that turns offsets in a fragment's text into the file's 1-based line and column.
 * Built lazily: a fragment without candidates never pays for it.
 */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly fragment: Fragment) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const text = this.fragment.text;
      const starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** 0-based index of the fragment line holding `offset`. */
  lineOf(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset in the fragment's text where fragment line `index` starts. */
  startOf(index: number): number {
    return this.lineStarts()[index] ?? 0;
  }

  /** The file's 1-based line number of fragment line `index`. */
  fileLine(index: number): number {
    const { lineNumbers, firstLine } = this.fragment;
    if (lineNumbers) return lineNumbers[index] ?? lineNumbers[lineNumbers.length - 1] ?? 1;
    return (firstLine ?? 1) + index;
  }

  /** 1-based line and column of `offset` in the file. */
  position(offset: number): { line: number; column: number } {
    const index = this.lineOf(offset);
    return { line: this.fileLine(index), column: offset - this.lineStarts()[index]! + 1 };
  }

  /** Text of fragment line `index`, without its line break. */
  lineText(index: number): string {
    const starts = this.lineStarts();
    const text = this.fragment.text;
    const start = starts[index];
    if (start === undefined) return '';
    const next = starts[index + 1];
    let end = next === undefined ? text.length : next - 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    return text.slice(start, end);
  }

  /** The previous line of the file, when the fragment holds it (it is the fragment's line before). */
  previousLineText(index: number): string | undefined {
    if (index === 0) return undefined;
    if (this.fileLine(index - 1) !== this.fileLine(index) - 1) return undefined;
    return this.lineText(index - 1);
  }
}
