// The currency of validation: a finding at a span of a text, with optional fixes. Offsets are
// UTF-16 code units into the text (what JS strings and LSP positions both count).

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Half-open [start, end) offsets into a document's text. */
export interface Span {
  start: number;
  end: number;
}

export interface TextEdit {
  span: Span;
  newText: string;
}

/** A mechanical fix: edits to the same document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply on "auto fix". */
  preferred?: boolean;
}

export interface RelatedSpan {
  span: Span;
  message: string;
  /** Absent: the same document. */
  file?: string;
}

/**
 * Something the user runs to resolve a finding. The domain names the action; each front end words
 * it for where the user is (remedies.ts): a command line in the CLI, a command in the editor.
 */
export interface Remedy {
  action: 'generate-manifest';
  /** The descriptor the action applies to; absent: the descriptor the finding is about. */
  descriptor?: string;
}

export interface Finding {
  /** Stable code, e.g. `vcloud/id-too-long`. */
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedSpan[];
  fixes?: Fix[];
  remedy?: Remedy;
}

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}
