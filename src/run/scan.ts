import type { Engine } from '../engine/engine.js';
import type { Finding } from '../findings/finding.js';
import type { Fragment } from '../sources/fragment.js';
import { PATH_RULE_HEAD_BYTES } from '../sources/binary.js';
import { SkipTally } from '../sources/skipTally.js';
import { readSnapshotFiles } from '../sources/snapshotFiles.js';
import type { FileSource, Source, SourceEvent, StreamSource } from '../sources/source.js';
import { isGitlabPipelineFile } from '../workflows/gitlab/gitlabPath.js';
import { isWorkflowFile } from '../workflows/workflowPath.js';
import type { Progress } from './progress.js';
import { scanFiles, type ScanWorkers } from './scanFiles.js';
import { auditWorkflowDependents, auditWorkflowText, workflowTest, type WorkflowTree } from './workflowAudit.js';

export interface ScanRequest {
  engine: Engine;
  /** Read in order into one engine, so values are compared across all of them. */
  sources: Source[];
  /** Workers started early for a file source (see ScanWorkers); closed here in every case. */
  workers?: ScanWorkers | undefined;
  /** Commits walked, shown while a history is read (on a terminal). */
  progress?: Progress | undefined;
}

/** What a scan found, before suppressions. */
export interface ScanResult {
  findings: Finding[];
  /** Distinct files scanned, bytes of text scanned, commits walked, files passed over. */
  counts: { files: number; bytes: number; commits: number; skipped: number };
  /** The units the sources count in, for the summary (`files`, `commits`, or both for an audit). */
  units: Array<'files' | 'commits'>;
  notes: string[];
  /** Whether the run covered a file (for stale baseline entries). */
  covers: (file: string) => boolean;
}

/**
 * The one scan loop behind every door. For each source, in order: every fragment through the
 * engine; every workflow file the source touches through the workflow checks, whole, as the
 * source's tree holds it (once per run, whichever source met it first); then the values found
 * compared with the other environments' config files of that tree that the run did not scan.
 * Last, the findings that need the whole run (one value shared by two environments).
 */
export async function scanSources({ engine, sources, workers, progress }: ScanRequest): Promise<ScanResult> {
  const scan = new RunState(engine);
  try {
    for (const source of sources) {
      const tally = new SkipTally();
      if (source.kind === 'files') {
        const files = workers;
        workers = undefined;
        await scan.files(source, tally, files);
      } else {
        await scan.stream(source, tally, progress);
      }
      await scan.observeRest(source);
      const prefix = source.label ? `${source.label}: ` : '';
      scan.notes.push(...[...source.notes, ...tally.notes()].map((n) => prefix + n));
      scan.skipped += tally.total;
    }
  } finally {
    progress?.clear();
    await workers?.close();
  }
  scan.findings.push(...engine.finish());
  const covers = sources.map((s) => s.covers).filter((c) => c !== undefined);
  return {
    findings: scan.findings,
    counts: { files: scan.scanned.size, bytes: scan.bytes, commits: scan.commits, skipped: scan.skipped },
    units: [...new Set(sources.map((s) => s.unit))],
    notes: scan.notes,
    covers: (file) => scan.scanned.has(file) || covers.some((c) => c(file)),
  };
}

/** What one run has seen so far, across its sources. */
class RunState {
  readonly findings: Finding[] = [];
  readonly notes: string[] = [];
  /** Files scanned (whole or in part) by any source of the run. */
  readonly scanned = new Set<string>();
  /** Workflow files already audited: each once per run. */
  private readonly audited = new Set<string>();
  bytes = 0;
  commits = 0;
  skipped = 0;

  constructor(private readonly engine: Engine) {}

  /** Files on disk; workflow files among them are audited by the file scan as it reads them. */
  async files(source: FileSource, tally: SkipTally, workers: ScanWorkers | undefined): Promise<void> {
    const result = await scanFiles(this.engine, source.set, workers);
    const passedOver = new Set(result.skipped.map((s) => s.file));
    // A binary file in a work tree holds no text to scan (images, fonts): it is not news, so neither
    // noted nor counted. In a change, a binary file is noted: it may be what a key hides in.
    for (const s of result.skipped) if (s.reason !== 'binary') tally.add(s);
    const isWorkflow = workflowTest(source.set.namedWorkflows);
    for (const file of source.set.files) {
      if (passedOver.has(file)) continue;
      this.scanned.add(file);
      if (isWorkflow(file)) this.audited.add(file);
    }
    this.findings.push(...result.findings);
    this.bytes += result.bytes;
  }

  /** Fragments read by the source, then the workflow files it touched, read whole from its tree. */
  async stream(source: StreamSource, tally: SkipTally, progress: Progress | undefined): Promise<void> {
    const maxFileSize = this.engine.config.maxFileSize;
    const touchedWorkflows = new Set<string>();
    const changedYaml = new Set<string>();
    for await (const event of source.read(maxFileSize)) {
      switch (event.type) {
        case 'commit':
          this.commits++;
          progress?.tick(this.commits);
          break;
        case 'changed':
          if (isWorkflowFile(event.file) && !this.audited.has(event.file)) touchedWorkflows.add(event.file);
          else if (/\.ya?ml$/i.test(event.file)) changedYaml.add(event.file);
          break;
        case 'skipped':
          tally.add(event.skipped);
          break;
        case 'binary':
          await this.binary(event, tally, maxFileSize);
          break;
        case 'fragment': {
          const { fragment, environmentText } = event;
          if ((fragment.bytes ?? 0) > maxFileSize) {
            tally.add({ file: fragment.file, reason: 'too-large', detail: 'added lines over maxFileSize' });
            break;
          }
          this.scanned.add(fragment.file);
          this.bytes += fragment.bytes ?? fragment.text.length;
          const environment = environmentText === undefined ? undefined : this.engine.environmentOf(fragment.file, environmentText);
          await this.engine.prepare(fragment.file);
          for (const f of this.engine.scan(fragment, environment)) this.findings.push(f);
          // A whole file (standard input) is its own workflow text.
          if (isWhole(fragment) && touchedWorkflows.delete(fragment.file)) await this.audit(fragment);
          break;
        }
      }
    }
    if (touchedWorkflows.size > 0 && source.snapshot) {
      const files = await readSnapshotFiles(source.root, source.snapshot, (file) => touchedWorkflows.has(file), maxFileSize);
      // One tree for all: the repository they belong to is read once.
      const tree: WorkflowTree = { root: source.root, snapshot: source.snapshot };
      for (const file of files) await this.audit(file, tree);
      // What the changed workflows cause in the files they call or that follow them.
      this.findings.push(...(await auditWorkflowDependents(files.map((f) => f.file), tree, this.audited)));
    }
    if (changedYaml.size > 0 && source.snapshot) await this.auditIncluded(source, changedYaml, maxFileSize);
  }

  /**
   * A binary file of a stream (a change git calls binary, standard input): scanned by the path
   * rules when one names it (a key store), so it is a file the run covered, not one it passed over;
   * any other binary file is passed over, and noted.
   */
  private async binary(event: Extract<SourceEvent, { type: 'binary' }>, tally: SkipTally, maxFileSize: number): Promise<void> {
    const { file } = event;
    if (!this.engine.scansBinary(file)) {
      tally.add({ file, reason: 'binary' });
      return;
    }
    const whole = await event.content();
    // Over maxFileSize, the path rule still judges the file by its name and first bytes.
    const content = whole && whole.length > maxFileSize ? whole.subarray(0, PATH_RULE_HEAD_BYTES) : whole;
    this.scanned.add(file);
    const fragment: Fragment = { file, text: '', firstLine: 1, binary: content ? { content } : {}, ...(event.commit ? { commit: event.commit } : {}) };
    await this.engine.prepare(file);
    for (const f of this.engine.scan(fragment)) this.findings.push(f);
  }

  /**
   * A changed YAML file may be a file a GitLab pipeline includes: each pipeline of the snapshot not
   * audited yet is audited, and its findings in the changed files are kept.
   */
  private async auditIncluded(source: StreamSource, changed: Set<string>, maxFileSize: number): Promise<void> {
    const { snapshot } = source;
    if (!snapshot) return;
    const unaudited = (file: string) => isGitlabPipelineFile(file) && !this.audited.has(file);
    const pipelines = await readSnapshotFiles(source.root, snapshot, unaudited, maxFileSize);
    for (const file of pipelines) {
      const findings = await auditWorkflowText(file, { root: source.root, snapshot });
      this.findings.push(...findings.filter((f) => changed.has(f.file)));
    }
  }

  private async audit(file: Fragment, from?: WorkflowTree): Promise<void> {
    if (this.audited.has(file.file)) return;
    this.audited.add(file.file);
    this.findings.push(...(await auditWorkflowText(file, from)));
  }

  /**
   * A value the run found is compared with the other environments' config files of the source's
   * tree as well (as the index or the head commit holds them), so the change that introduces a
   * reuse is the one reported, at the place it adds.
   */
  async observeRest(source: Source): Promise<void> {
    const engine = this.engine;
    if (!source.snapshot || ![...this.scanned].some((file) => engine.wantsObservation(file))) return;
    const unscanned = (file: string) => !this.scanned.has(file) && engine.wantsObservation(file);
    const others = await readSnapshotFiles(source.root, source.snapshot, unscanned, engine.config.maxFileSize);
    for (const fragment of others) engine.observe(fragment);
  }
}

function isWhole(fragment: Fragment): boolean {
  return fragment.lineNumbers === undefined && (fragment.firstLine ?? 1) === 1;
}
