/** YAML parsing that keeps positions, so every error can name its line and column. */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { IacError, type IacIssue } from './errors.ts';
import type { Json, Position } from './model.ts';

export interface SourceDocument {
  /** the document as plain data */
  data: Json;
  /** position of the value (or, with `key`, of the key) at a path such as `/instances/0/vcpu` */
  positionOf(path: string, key?: boolean): Position | undefined;
}

export function splitPath(path: string): (string | number)[] {
  if (path === '' || path === '/') return [];
  return path
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function parseYaml(text: string): SourceDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const issues: IacIssue[] = doc.errors.map((e) => ({
      code: 'yaml',
      message: e.message.split('\n')[0] ?? e.message,
      ...at(e.pos[0]),
    }));
    throw new IacError(issues);
  }
  const data = (doc.toJS({ maxAliasCount: 100 }) ?? {}) as Json;
  return {
    data,
    positionOf(path, key = false) {
      const segments = splitPath(path);
      let node: unknown = doc.contents;
      let keyNode: unknown;
      let last: Node | undefined = (doc.contents as Node) ?? undefined;
      for (const seg of segments) {
        if (isMap(node)) {
          const pair = node.items.find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
          );
          if (!pair) break;
          keyNode = pair.key;
          node = pair.value;
        } else if (isSeq(node) && typeof seg === 'number') {
          keyNode = undefined;
          node = node.items[seg];
        } else break;
        if (node && (node as Node).range) last = node as Node;
        else if (keyNode && (keyNode as Node).range) last = keyNode as Node;
      }
      const target = key && keyNode && (keyNode as Node).range ? (keyNode as Node) : last;
      return target?.range ? at(target.range[0]) : undefined;
    },
  };
}
