import type { Position } from './model.ts';

export interface IacIssue {
  /** yaml | schema | variable | reference | cycle | provider */
  code: string;
  message: string;
  /** JSON-pointer-like path in the document, e.g. `/instances/0/vcpu` */
  path?: string;
  line?: number;
  column?: number;
}

/** A file that cannot be planned: every problem found, each with its place in the file. */
export class IacError extends Error {
  readonly issues: IacIssue[];
  constructor(issues: IacIssue[]) {
    super(issues.map((i) => formatIssue(i)).join('\n'));
    this.name = 'IacError';
    this.issues = issues;
  }
}

export function formatIssue(issue: IacIssue, file?: string): string {
  const where = issue.line ? `${file ?? ''}${file ? ':' : 'line '}${issue.line}:${issue.column ?? 1}: ` : '';
  return `${where}${issue.message}`;
}

export function issueAt(code: string, message: string, path: string, pos: Position | undefined): IacIssue {
  return { code, message, path, ...(pos ? { line: pos.line, column: pos.column } : {}) };
}
