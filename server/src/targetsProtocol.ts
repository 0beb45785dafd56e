// The custom requests between the extension and the language server about a descriptor's targets.
// Plain types, no imports: the client bundles this file without pulling in the server.

/** `ovfkit/targets`: the cloud targets in force for an open descriptor, as the validator sees them. */
export const TARGETS_REQUEST = 'ovfkit/targets';
export interface TargetsParams {
  uri: string;
}
export interface TargetsResult {
  /** Cloud targets checked (the generic OVF rules always are), in the order ovfkit knows them. */
  targets: string[];
  /** They come from the descriptor's own `<!-- ovfkit: targets=… -->` comment, not the setting. */
  fromDescriptor: boolean;
  /** Published findings of cloud rules (any severity): the first-run question asks only then. */
  cloudFindings: number;
}

/** `ovfkit/targetsEdit`: the edits that make the descriptor choose `targets` (null: remove the comment). */
export const TARGETS_EDIT_REQUEST = 'ovfkit/targetsEdit';
export interface TargetsEditParams {
  uri: string;
  targets: string[] | null;
}
export interface TargetsEditResult {
  edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>;
}
