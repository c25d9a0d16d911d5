/**
 * The infrastructure-file editor: CodeMirror 6 (bundled, only in the IaC page's chunk) with YAML
 * highlighting and completion from the file's JSON Schema (keys for the place under the cursor,
 * enum values after `key: `).
 */
import { autocompletion, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { buildSchema } from '@proxicloud/iac/schema';
import { useEffect, useRef } from 'react';

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  description?: string;
  oneOf?: Schema[];
};
const SCHEMA = buildSchema() as Schema;

/** Keys from the root to the mapping the cursor's line belongs to ('[]' = an item of a list). */
export function pathAt(lines: string[], lineIndex: number): string[] {
  const current = lines[lineIndex] ?? '';
  const path: string[] = [];
  let limit = current.length - current.trimStart().length;
  const dash = /^(\s*)- /.exec(current);
  if (dash) {
    path.push('[]');
    limit = (dash[1] as string).length;
  }
  for (let i = lineIndex - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i] as string;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const item = /^(\s*)- (.*)$/.exec(line);
    if (item && indent < limit) {
      path.push('[]');
      limit = indent;
      continue;
    }
    const key = /^\s*([A-Za-z_][\w-]*):\s*(#.*)?$/.exec(line);
    if (key && indent < limit) {
      path.push(key[1] as string);
      limit = indent;
    }
  }
  return path.reverse();
}

function schemaAt(path: string[]): Schema | undefined {
  let s: Schema | undefined = SCHEMA;
  for (const seg of path) {
    if (!s) return undefined;
    s = seg === '[]' ? s.items : s.properties?.[seg];
  }
  return s;
}

function complete(ctx: CompletionContext) {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  const lines = ctx.state.doc.toString().split('\n');
  const path = pathAt(lines, line.number - 1);
  const value = /^\s*(?:- )?([A-Za-z_][\w-]*):\s+(\w*)$/.exec(before);
  if (value) {
    const prop = schemaAt(path)?.properties?.[value[1] as string];
    const options = (prop?.enum ?? []).map((v): Completion => ({ label: String(v), type: 'enum' }));
    if (!options.length) return null;
    return { from: ctx.pos - (value[2] as string).length, options };
  }
  const key = /^\s*(?:- )?([A-Za-z_][\w-]*)?$/.exec(before);
  if (!key) return null;
  const props = schemaAt(path)?.properties ?? {};
  const word = key[1] ?? '';
  if (!word && !ctx.explicit) return null;
  return {
    from: ctx.pos - word.length,
    options: Object.entries(props).map(
      ([name, s]): Completion => ({
        label: name,
        type: 'property',
        apply: `${name}: `,
        ...(s.description ? { info: s.description } : {}),
      }),
    ),
  };
}

export default function YamlEditor({
  value,
  onChange,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  // created once per label: the editor owns the text; outside changes arrive through the effect below
  const initial = useRef(value);
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial.current,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          yaml(),
          autocompletion({ override: [complete] }),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { fontSize: '13px', minHeight: '18rem' },
            '.cm-scroller': { fontFamily: 'ui-monospace, monospace' },
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, [label]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return (
    <div
      ref={host}
      className="overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700"
      data-testid="yaml-editor"
    />
  );
}
