/**
 * The function code editor: CodeMirror 6 with JavaScript, Python or Go highlighting. Bundled locally and
 * loaded on demand (React.lazy from the function page), so the list page does not carry it.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { go } from '@codemirror/lang-go';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';

export default function CodeEditor({
  value,
  onChange,
  language,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  language: 'javascript' | 'python' | 'go';
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
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
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          language === 'python' ? python() : language === 'go' ? go() : javascript(),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { fontSize: '13px', minHeight: '16rem' },
            '.cm-scroller': { fontFamily: 'ui-monospace, monospace' },
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, [label, language]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return (
    <div
      ref={host}
      className="overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700"
      data-testid="code-editor"
    />
  );
}
