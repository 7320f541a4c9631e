import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ReportFinding } from '../findings/finding.js';
import { compareReportFindings, repositoryOf } from './findingOrder.js';
import { keepFinding, ReportMerge } from './mergeReports.js';

/** Findings held before they are sorted and written to disk as one run: what bounds the merge's memory. */
const RUN_FINDINGS = 20_000;

/**
 * `report merge` at the scale of an organisation: the ReportMerge of mergeReports.ts, whose findings
 * are not held but sorted in runs of RUN_FINDINGS written to a temporary folder (a JSON line each),
 * and read back merged (an external merge sort), as many times as the formats ask. Each finding
 * once: all reports of one finding have the same repository, file, line, column and rule, which
 * lie together in report order, so keeping each once needs only those next to each other. The
 * findings come out as ReportMerge.result() has them: the same report, byte for byte.
 */
export class SpilledMerge extends ReportMerge {
  private held: ReportFinding[] = [];
  private readonly runs: string[] = [];
  private folder: string | undefined;

  constructor(private readonly runSize = RUN_FINDINGS) {
    super();
  }

  protected override keepFindings(findings: readonly ReportFinding[]): void {
    for (const f of findings) {
      this.held.push(f);
      if (this.held.length >= this.runSize) this.spill();
    }
  }

  private spill(): void {
    this.folder ??= mkdtempSync(join(tmpdir(), 'keyfence-merge-'));
    const path = join(this.folder, `run-${this.runs.length}.jsonl`);
    // Readable by this user only (the folder is too): a report made with --show-secrets holds secrets.
    writeFileSync(path, this.held.sort(compareReportFindings).map((f) => `${JSON.stringify(f)}\n`).join(''), { mode: 0o600 });
    this.runs.push(path);
    this.held = [];
  }

  /** The merged findings in report order, each once; may be read again. */
  async *merged(): AsyncIterable<ReportFinding> {
    this.held.sort(compareReportFindings);
    const sources = [...this.runs.map((path) => readRun(path)), listed(this.held)];
    yield* eachOnce(mergeSorted(sources));
  }

  /** Removes the runs on disk. */
  async dispose(): Promise<void> {
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }
}

async function* readRun(path: string): AsyncGenerator<ReportFinding> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as ReportFinding;
}

async function* listed(findings: readonly ReportFinding[]): AsyncGenerator<ReportFinding> {
  yield* findings;
}

/** Sorted sources merged into one sorted stream: a binary heap of each source's next finding. */
async function* mergeSorted(sources: Array<AsyncGenerator<ReportFinding>>): AsyncGenerator<ReportFinding> {
  const heap: Array<{ f: ReportFinding; source: AsyncGenerator<ReportFinding> }> = [];
  const less = (i: number, j: number) => compareReportFindings(heap[i]!.f, heap[j]!.f) < 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  const up = (i: number) => {
    for (let parent = (i - 1) >> 1; i > 0 && less(i, parent); i = parent, parent = (i - 1) >> 1) swap(i, parent);
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && less(l, least)) least = l;
      if (r < heap.length && less(r, least)) least = r;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };
  for (const source of sources) {
    const next = await source.next();
    if (!next.done) {
      heap.push({ f: next.value, source });
      up(heap.length - 1);
    }
  }
  while (heap.length) {
    const top = heap[0]!;
    yield top.f;
    const next = await top.source.next();
    if (!next.done) top.f = next.value;
    else {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
  }
}

/** Where one finding's reports lie together in report order: repository, file, line, column, rule. */
const placeOf = (f: ReportFinding) => `${repositoryOf(f)}\0${f.file}\0${f.line}\0${f.column}\0${f.ruleId}`;

/** A sorted stream with each finding once (the report preferredFinding picks), still sorted. */
async function* eachOnce(sorted: AsyncIterable<ReportFinding>): AsyncGenerator<ReportFinding> {
  let place: string | undefined;
  let group = new Map<string, ReportFinding>();
  const flush = () => [...group.values()].sort(compareReportFindings);
  for await (const f of sorted) {
    const here = placeOf(f);
    if (here !== place) {
      yield* flush();
      group = new Map();
      place = here;
    }
    keepFinding(group, f);
  }
  yield* flush();
}
