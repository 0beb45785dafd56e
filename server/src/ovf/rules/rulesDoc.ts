// docs/RULES.md is generated from the rule metadata, so the reference can never drift from the code
// (a test compares them; `npm run rules-doc` rewrites it).
import { RULES, SYNTAX_RULES } from './index';
import { MANIFEST_CHECKS } from '../manifest/manifestChecks';
import { RuleMeta } from './rule';

const TARGET_TITLES: Record<string, string> = {
  generic: 'Generic OVF rules (always on)',
  vcloud: 'vCloud Director target (`vcloud`)',
  cloudcontrol: 'NTT CloudControl target (`cloudcontrol`)',
};

/** The stable HTML anchor of a rule's row: its code with every run of other characters as '-'. */
export function ruleAnchor(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function rulesMarkdown(): string {
  const all: RuleMeta[] = [...SYNTAX_RULES, ...RULES];
  const table = (rules: readonly RuleMeta[]) =>
    `| code | default severity | kind | what it checks | source |\n| --- | --- | --- | --- | --- |\n${rules.map((r) => `| <a id="${ruleAnchor(r.code)}"></a>\`${r.code}\` | ${r.severity} | ${r.category} | ${cell(r.description)} | ${cell(r.source ?? '')} |`).join('\n')}\n`;
  const sections = Object.entries(TARGET_TITLES).map(([target, title]) => `## ${title}\n\n${table(all.filter((r) => r.target === target))}`);
  sections.push(`## Manifest checks (\`.mf\` files, *Verify Package*, \`ovfkit verify\`)\n\nThese judge the manifest, not the descriptor: \`ovfkit.severity\` and \`ovfkit: disable=\` do not apply.\n\n${table(MANIFEST_CHECKS)}`);
  return `# Diagnostic rules\n\nGenerated from the rule metadata by \`npm run rules-doc\`; do not edit by hand.\n\nEvery diagnostic carries one of these codes. Change a severity, or turn a rule off, with the\n\`ovfkit.severity\` setting (\`{ "vcloud/id-too-long": "error", "ref/connection": "off" }\`), or for\none descriptor with a comment in it: \`<!-- ovfkit: disable=ref/connection,vcloud/id-too-long -->\`.\nChoose targets with \`ovfkit.targets\`, \`--target\` on the command line, or a comment in the\ndescriptor: \`<!-- ovfkit: targets=vcloud -->\`.\n\nThe source column says where each rule comes from: a clause of DMTF DSP0243 (OVF 1.1 numbering;\n2.x keeps the same clauses), a cloud's document, or observed behaviour. A rule no source backs is\na warning at most. Hardware limits are judged on what each deployment configuration deploys:\na limit broken only in a non-default configuration is a warning naming it.\n\n${sections.join('\n')}`;
}
