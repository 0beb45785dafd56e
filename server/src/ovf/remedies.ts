// How each front end words a finding's remedy: the command line to type in the CLI, the command
// to pick in the editor (which also offers to run it). One table, so the two never drift apart.
import { GENERATE_MANIFEST_COMMAND } from './editorCommands';
import { Remedy } from './findings';

export type FrontEnd = 'cli' | 'editor';

interface RemedyWording {
  /** The CLI command line, given the descriptor as the user should type it. */
  cli(descriptor: string): string;
  /** The editor command's title (as in the palette) and id. */
  editor: { title: string; command: string };
}

export const REMEDIES: Record<Remedy['action'], RemedyWording> = {
  'generate-manifest': {
    cli: (descriptor) => `ovfkit manifest ${shellWord(descriptor)}`,
    editor: { title: 'ovfkit: Generate Manifest', command: GENERATE_MANIFEST_COMMAND },
  },
};

/**
 * The message with what to run appended, for one front end. `descriptor` is the file the finding
 * is about, as the user should see it (the remedy's own descriptor wins).
 */
export function messageWithRemedy(finding: { message: string; remedy?: Remedy }, frontEnd: FrontEnd, descriptor?: string): string {
  const remedy = finding.remedy;
  if (!remedy) return finding.message;
  const wording = REMEDIES[remedy.action];
  if (frontEnd === 'editor') return `${finding.message}; run "${wording.editor.title}"`;
  return `${finding.message}; run \`${wording.cli(remedy.descriptor ?? descriptor ?? 'FILE.ovf')}\``;
}

/** Quotes a path for a POSIX shell when it holds anything but safe characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
