// Where a rule is documented: its row in docs/RULES.md. The file ships in the .vsix and beside the
// CLI, so a `file:` link with a `#L<line>` fragment (which VS Code opens at that line) works
// offline in the installed extension. RULES.md is generated from the same metadata and a test
// keeps it current, so the line can be computed here rather than read from the file.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleAnchor, rulesMarkdown } from './rulesDoc';

let lineOfCode: Map<string, number> | undefined;

/** The 1-based line of the rule's row in docs/RULES.md; undefined for codes that are not rules. */
export function ruleDocLine(code: string): number | undefined {
  if (!lineOfCode) {
    lineOfCode = new Map();
    rulesMarkdown().split('\n').forEach((line, i) => {
      const anchor = /<a id="([^"]+)"><\/a>`([^`]+)`/.exec(line);
      if (anchor && anchor[1] === ruleAnchor(anchor[2])) lineOfCode!.set(anchor[2], i + 1);
    });
  }
  return lineOfCode.get(code);
}

/** A link to the rule's row in the given RULES.md, or undefined for codes that are not rules. */
export function ruleDocUri(code: string, rulesDocFile: string): string | undefined {
  const line = ruleDocLine(code);
  return line === undefined ? undefined : `${pathToFileURL(rulesDocFile).href}#L${line}`;
}

/** docs/RULES.md beside a bundle in dist/ (the language server, the CLI). */
export function bundledRulesDoc(bundleDir: string): string {
  return path.resolve(bundleDir, '..', 'docs', 'RULES.md');
}
