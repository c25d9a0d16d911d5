/** An API error for a function create/deploy: the message, and a Go build's compiler output below it. */
export function BuildError({ error }: { error: unknown }) {
  const e = error as Error & { code?: string; details?: { output?: unknown } };
  const output = e.code === 'build_failed' && typeof e.details?.output === 'string' ? e.details.output : null;
  return (
    <>
      {output ? 'The Go code does not build:' : e.message}
      {output ? (
        <pre className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap font-mono text-xs">{output}</pre>
      ) : null}
    </>
  );
}
