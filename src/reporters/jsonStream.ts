import { randomUUID } from 'node:crypto';

/**
 * A value as `JSON.stringify(value, null, 2)` writes it, with some of its lists written item by
 * item as they come instead of held: `skeleton(slot)` builds the value with `slot(items)` where
 * such a list goes. The bytes are the same as stringifying the value with the lists in place.
 */
export async function writeJsonStreaming(
  skeleton: (slot: (items: AsyncIterable<unknown>) => string) => unknown,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  // A string no report holds: the slots' places in the skeleton's text.
  const nonce = `\u0000keyfence-list-${randomUUID()}-`;
  const lists: Array<AsyncIterable<unknown>> = [];
  const slot = (items: AsyncIterable<unknown>) => `${nonce}${lists.push(items) - 1}`;
  const text = JSON.stringify(skeleton(slot), null, 2);
  const marker = new RegExp(`${JSON.stringify(nonce).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  let from = 0;
  for (const match of text.matchAll(marker)) {
    // The slot's text is `"<nonce>N"`: what comes before its opening quote is written as it is.
    const at = match.index - 1;
    await write(text.slice(from, at));
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const indent = /^ */.exec(text.slice(lineStart))![0];
    await writeList(lists[Number(match[1])]!, indent, write);
    from = match.index + match[0].length;
  }
  await write(`${text.slice(from)}\n`);
}

/** A list as JSON.stringify indents it under a line indented by `indent`: `[]` when empty. */
async function writeList(items: AsyncIterable<unknown>, indent: string, write: (chunk: string) => Promise<void>): Promise<void> {
  const inner = `${indent}  `;
  let first = true;
  for await (const item of items) {
    await write(`${first ? '[\n' : ',\n'}${inner}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`)}`);
    first = false;
  }
  await write(first ? '[]' : `\n${indent}]`);
}

/** The items of a source, each mapped. */
export async function* mapped<T, U>(items: AsyncIterable<T>, f: (item: T) => U): AsyncIterable<U> {
  for await (const item of items) yield f(item);
}
