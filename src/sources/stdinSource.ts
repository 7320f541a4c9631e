import type { Readable } from 'node:stream';
import { isBinary } from './binary.js';
import type { StreamSource } from './source.js';

/**
 * `keyfence scan -`: standard input as one file named `name` (`--stdin-filename`, default `stdin`),
 * so path rules and the environment of that name apply. Read to the end, up to maxFileSize.
 */
export function stdinSource(input: Readable, name: string, root: string): StreamSource {
  return {
    kind: 'stream',
    root,
    unit: 'files',
    snapshot: undefined,
    notes: [],
    covers: (file) => file === name,
    async *read(maxFileSize) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of input) {
        size += (chunk as Buffer).length;
        if (size <= maxFileSize) chunks.push(chunk as Buffer);
      }
      yield { type: 'changed', file: name };
      if (size > maxFileSize) {
        yield { type: 'skipped', skipped: { file: name, reason: 'too-large', detail: `${size} bytes` } };
        return;
      }
      const bytes = Buffer.concat(chunks);
      if (isBinary(bytes)) {
        yield { type: 'binary', file: name, content: () => Promise.resolve(bytes) };
        return;
      }
      yield { type: 'fragment', fragment: { file: name, text: bytes.toString('utf8'), firstLine: 1, bytes: bytes.length } };
    },
  };
}
