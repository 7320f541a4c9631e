import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { AllowEntry } from '../config/config.js';
import { loadConfigFile } from '../config/loadConfig.js';
import { diskPolicyFiles, type PolicyFiles } from '../config/policyFiles.js';
import { checkCustomRule } from '../engine/customRules.js';
import { Engine } from '../engine/engine.js';
import { UserError } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { loadBuiltinRules } from '../rules/builtinRules.js';
import { writeAtomic } from '../run/writeAtomic.js';
import { runGit } from '../sources/git.js';
import { keyedHash, newBaseline, readBaseline, serializeBaseline, type Baseline, type BaselineEntry } from '../suppressions/baseline.js';
import type { ImportPlan, PinnedFinding } from './plan.js';

/** Where an import writes: keyfence.yml and the baseline, by absolute path and as messages name them. */
export interface ImportTarget {
  root: string;
  config: { path: string; shown: string };
  baseline: { path: string; shown: string };
  dryRun: boolean;
}

export interface ImportOutcome {
  configText?: string;
  baselineText?: string;
  lines: string[];
}

/**
 * Vets the plan, merges it into keyfence.yml (kept as the user wrote it: comments, order and every
 * setting; only new items are appended, each with a comment saying where it came from), records
 * pinned findings in the baseline with keyfence's keyed hash, checks the result loads, and writes
 * both files atomically, or, with `dryRun`, only says what it would write.
 */
export async function writeImport(plan: ImportPlan, target: ImportTarget): Promise<ImportOutcome> {
  const builtinIds = new Set(loadBuiltinRules().map((r) => r.spec.id));
  await vetRules(plan, builtinIds);

  const before = existsSync(target.config.path) ? readFileSync(target.config.path, 'utf8') : '';
  const parsed = parseDocument(before);
  if (parsed.errors[0]) throw new UserError(`${target.config.shown}: ${parsed.errors[0].message.split('\n')[0]}`, 'fix keyfence.yml first; nothing was written');
  const merged = mergeIntoConfig(before, plan, target.config.shown);
  const counts = merged.counts;
  const configText = merged.text;

  // The merged file must load as any command would load it, before anything is written.
  const files: PolicyFiles = { ...diskPolicyFiles, kind: (p) => (p === target.config.path ? 'file' : diskPolicyFiles.kind(p)), read: (p) => (p === target.config.path ? configText : diskPolicyFiles.read(p)) };
  const config = loadConfigFile(target.config.path, target.root, files);

  const existing = existsSync(target.baseline.path) ? await readBaseline(target.baseline.path, target.baseline.shown) : undefined;
  const baseline: Baseline = existing ?? newBaseline();
  const known = new Set(baseline.entries.map((e) => `${e.ruleId}\0${e.file}\0${e.hash}`));
  const added: BaselineEntry[] = [];
  const add = (entry: BaselineEntry) => {
    const id = `${entry.ruleId}\0${entry.file}\0${entry.hash}`;
    if (known.has(id)) return;
    known.add(id);
    added.push(entry);
  };
  plan.baseline.forEach(add);
  if (plan.pinned.length) {
    const engine = new Engine(config);
    for (const pin of plan.pinned) for (const entry of await pinnedEntries(engine, pin, baseline.salt, plan, target.root)) add(entry);
  }
  // Pinned findings whose source is gone fell back to allow entries: merge those too.
  const lateAllow = plan.allow.filter((a) => a.late);
  const late = mergeIntoConfig(configText, { ...plan, rules: [], disabled: [], allow: lateAllow }, target.config.shown);
  counts.allow += late.counts.allow;
  const finalText = late.text;
  if (late.counts.allow) {
    const read = (p: string) => (p === target.config.path ? finalText : diskPolicyFiles.read(p));
    loadConfigFile(target.config.path, target.root, { ...files, read });
  }

  const baselineText = added.length ? serializeBaseline({ salt: baseline.salt, entries: [...baseline.entries, ...added] }) : undefined;
  const configChanged = finalText !== before;
  const lines = summary(plan, target, counts, added.length, configChanged);
  if (!target.dryRun) {
    if (configChanged) await writeAtomic(target.config.path, finalText);
    if (baselineText) await writeAtomic(target.baseline.path, baselineText);
  }
  return { ...(configChanged ? { configText: finalText } : {}), ...(baselineText ? { baselineText } : {}), lines };
}

/** Imported rules failing keyfence's load-time checks are listed, not written: one must not block the rest. */
async function vetRules(plan: ImportPlan, builtinIds: ReadonlySet<string>): Promise<void> {
  const good: ImportPlan['rules'] = [];
  for (const rule of plan.rules) {
    try {
      await checkCustomRule({ spec: rule.spec, origin: rule.from }, builtinIds);
      good.push(rule);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      plan.untranslated.push({ from: rule.from, what: `rule ${rule.spec.id}`, reason: error.message.replace(`${rule.from}: `, '').replace(/^\S+ \(rule [^)]*\): /, '') });
    }
  }
  plan.rules = good;
}

/** Short lists of plain values on one line (`keywords: [acme_]`), as people write them. */
function compactLists(node: YAMLMap): void {
  for (const pair of node.items) {
    const value = pair.value;
    if (isSeq(value) && value.items.every((i) => isScalar(i)) && value.items.length <= 4) value.flow = true;
  }
}

const ALLOW_FIELDS = ['rules', 'paths', 'secrets', 'lines', 'stopwords'] as const;

function allowKey(entry: AllowEntry): string {
  return JSON.stringify(ALLOW_FIELDS.map((f) => entry[f] ?? null));
}

type Counts = { rules: number; allow: number; disabled: number };
type Section = { key: 'rules' | 'allow' | 'overrides'; items: Array<YAMLMap | Pair>; node: unknown };

/**
 * Adds the plan's new rules, allow entries and switched-off rules to the config text. The user's
 * own bytes are not rewritten: new items go after the last item of an existing block list or
 * mapping, indented as it is, or in a new section at the end; each carries a comment naming its
 * source. Only a section in another shape (`allow: []`, `allow:` with nothing) is added through the
 * YAML document, which keeps comments but lays the file out anew.
 */
function mergeIntoConfig(text: string, plan: ImportPlan, shown: string): { text: string; counts: Counts } {
  const doc = parseDocument(text);
  const top = doc.contents;
  const isEmpty = (n: unknown) => n === null || n === undefined || (isScalar(n) && n.value === null);
  if (!isEmpty(top) && !isMap(top)) throw new UserError(`${shown}: the config is not a mapping, so imported entries cannot be added`, 'fix keyfence.yml first; nothing was written');
  const existing = (key: string) => (isMap(top) ? top.get(key, true) : undefined);
  const render = new Document();

  const rules = existing('rules');
  const ids = new Set(isSeq(rules) ? rules.items.map((item) => (isMap(item) ? String(item.get('id')) : '')) : []);
  const ruleNodes: YAMLMap[] = [];
  for (const { spec, from } of plan.rules) {
    if (ids.has(spec.id)) {
      plan.notes.push({ from, note: `rule ${spec.id} is already in ${shown}; kept as it is` });
      continue;
    }
    const node = render.createNode(spec) as YAMLMap;
    const examples = node.get('examples', true);
    if (isMap(examples)) examples.flow = true;
    compactLists(node);
    node.commentBefore = ` imported from ${from}`;
    ruleNodes.push(node);
    ids.add(spec.id);
  }

  const allow = existing('allow');
  const keys = new Set(isSeq(allow) ? allow.items.map((item) => (isMap(item) ? allowKey(item.toJSON() as AllowEntry) : '')) : []);
  const allowNodes: YAMLMap[] = [];
  for (const { entry, from } of plan.allow) {
    const key = allowKey(entry);
    if (keys.has(key)) continue;
    const node = render.createNode(entry) as YAMLMap;
    compactLists(node);
    node.commentBefore = ` imported from ${from}`;
    allowNodes.push(node);
    keys.add(key);
  }

  const overrides = existing('overrides');
  const switched = new Set<string>(isMap(overrides) ? overrides.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : []);
  const overrideNodes: Pair[] = [];
  for (const { id, from } of plan.disabled) {
    if (switched.has(id)) continue;
    const pair = render.createPair(id, { enabled: false });
    (pair.key as { commentBefore?: string }).commentBefore = ` imported from ${from}`;
    overrideNodes.push(pair);
    switched.add(id);
  }

  const counts: Counts = { rules: ruleNodes.length, allow: allowNodes.length, disabled: overrideNodes.length };
  const sections: Section[] = (
    [
      { key: 'rules', items: ruleNodes, node: rules },
      { key: 'allow', items: allowNodes, node: allow },
      { key: 'overrides', items: overrideNodes, node: overrides },
    ] as Section[]
  ).filter((s) => s.items.length > 0);
  const blockShaped = (s: Section) => s.node === undefined || ((s.key === 'overrides' ? isMap(s.node) : isSeq(s.node)) && !(s.node as YAMLSeq).flow && (s.node as YAMLSeq).items.length > 0);
  if (!sections.every(blockShaped)) {
    for (const s of sections) {
      let node: unknown = existing(s.key);
      if (isEmpty(node)) {
        node = doc.createNode(s.key === 'overrides' ? {} : []);
        doc.set(s.key, node);
      }
      if (s.key === 'overrides' ? !isMap(node) : !isSeq(node))
        throw new UserError(`${shown}: \`${s.key}\` is not a ${s.key === 'overrides' ? 'mapping' : 'list'}, so imported entries cannot be added`, 'fix keyfence.yml first; nothing was written');
      (node as unknown as YAMLSeq).items.push(...(s.items as never[]));
    }
    return { text: doc.toString({ lineWidth: 0 }), counts };
  }
  const inserts: Array<{ at: number; text: string }> = [];
  let tail = '';
  for (const s of sections) {
    const block = new Document({});
    const section = block.createNode(s.key === 'overrides' ? {} : []) as YAMLSeq;
    section.items.push(...(s.items as never[]));
    block.set(s.key, section);
    const rendered = block.toString({ lineWidth: 0 });
    if (s.node === undefined) {
      tail += rendered;
      continue;
    }
    const node = s.node as YAMLSeq | YAMLMap;
    // After the line where the section's last item ends, indented as its first item.
    const end = node.range![1];
    const lineEnd = text.lastIndexOf('\n', end - 1);
    const at = lineEnd >= node.range![0] && /^\s*$/.test(text.slice(lineEnd, end)) ? lineEnd + 1 : text.indexOf('\n', end - 1) + 1 || text.length;
    const first = node.range![0];
    const indent = first - (text.lastIndexOf('\n', first - 1) + 1);
    const body = rendered
      .split('\n')
      .slice(1, -1)
      .map((l) => (l === '' ? l : ' '.repeat(indent) + l.replace(/^ {2}/, '')))
      .join('\n');
    inserts.push({ at, text: `${at === text.length && !text.endsWith('\n') ? '\n' : ''}${body}\n` });
  }
  let out = text;
  for (const i of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, i.at) + i.text + out.slice(i.at);
  if (tail) out += `${out === '' || out.endsWith('\n') ? '' : '\n'}${tail}`;
  return { text: out, counts };
}

/**
 * The baseline entries for a finding another scanner's ignore file names by place: the file as that
 * commit (or the work tree) holds it is scanned, and the findings on that line are recorded with
 * the keyed hash of their secret, never the secret. When the file cannot be read any more, the
 * rule is allowed in that file instead (broader: said in the summary).
 */
async function pinnedEntries(engine: Engine, pin: PinnedFinding, salt: string, plan: ImportPlan, root: string): Promise<BaselineEntry[]> {
  let text: string | undefined;
  if (pin.commit) {
    const shown = await runGit(['show', `${pin.commit}:${pin.file}`], root);
    if (shown.code === 0) text = shown.stdout.toString('utf8');
  } else if (existsSync(resolve(root, pin.file))) text = readFileSync(resolve(root, pin.file), 'utf8');
  const where = `${pin.file}:${pin.line}${pin.commit ? ` in ${pin.commit.slice(0, 12)}` : ''}`;
  if (text === undefined) {
    if (!pin.keyfenceRules) {
      plan.untranslated.push({ from: pin.from, what: `${pin.rule} at ${where}`, reason: 'the file is not there any more and keyfence has no rule for it' });
      return [];
    }
    plan.allow.push({ entry: { rules: pin.keyfenceRules, paths: [pin.file], reason: `imported from ${pin.from}` }, from: pin.from, late: true });
    plan.notes.push({ from: pin.from, note: `${where}: the file cannot be read (${pin.commit ? 'commit not in this clone' : 'deleted'}), so ${pin.keyfenceRules.join(', ')} is allowed in the whole file` });
    return [];
  }
  await engine.prepare(pin.file);
  const onLine = engine.scan({ file: pin.file, text }).filter((f) => f.line === pin.line);
  const mine = pin.keyfenceRules ? onLine.filter((f) => pin.keyfenceRules!.includes(f.ruleId)) : [];
  const chosen: Finding[] = mine.length ? mine : onLine;
  if (chosen.length === 0) {
    plan.notes.push({ from: pin.from, note: `${where}: keyfence finds nothing there, so there is nothing to suppress` });
    return [];
  }
  return Promise.all(chosen.map(async (f) => ({ ruleId: f.ruleId, file: f.file, hash: await keyedHash(salt, f), imported: plan.tool, reason: `imported from ${pin.from}` })));
}

function summary(plan: ImportPlan, target: ImportTarget, counts: Counts, baselineAdded: number, configChanged: boolean): string[] {
  const verb = target.dryRun ? 'would write' : 'wrote';
  const lines: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (configChanged)
    lines.push(`${verb} ${target.config.shown}: ${plural(counts.rules, 'rule', 'rules')}, ${plural(counts.allow, 'allow entry', 'allow entries')}, ${plural(counts.disabled, 'rule switched off', 'rules switched off')}`);
  else lines.push(`${target.config.shown}: nothing new to add`);
  if (baselineAdded) lines.push(`${verb} ${target.baseline.shown}: ${plural(baselineAdded, 'new entry', 'new entries')}`);
  for (const n of plan.notes) lines.push(`note: ${n.from}: ${n.note}`);
  if (plan.untranslated.length) {
    lines.push(`not translated (${plan.untranslated.length}):`);
    for (const u of plan.untranslated) lines.push(`  ${u.from}: ${u.what}: ${u.reason}`);
  }
  return lines;
}
