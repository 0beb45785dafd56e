// docs/RULES.md is generated from the rule metadata, so the reference can never drift from the code
// (a test compares them; `npm run rules-doc` rewrites it).
import { RULES, SYNTAX_RULES } from './index';
import { RuleMeta } from './rule';

const TARGET_TITLES: Record<string, string> = {
  generic: 'Generic OVF rules (always on)',
  vcloud: 'vCloud Director target (`vcloud`)',
  cloudcontrol: 'NTT CloudControl target (`cloudcontrol`)',
};

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function rulesMarkdown(): string {
  const all: RuleMeta[] = [...SYNTAX_RULES, ...RULES];
  const sections = Object.entries(TARGET_TITLES).map(([target, title]) => {
    const rows = all.filter((r) => r.target === target).map((r) => `| \`${r.code}\` | ${r.severity} | ${r.category} | ${cell(r.description)} | ${cell(r.source)} |`);
    return `## ${title}\n\n| code | default severity | kind | what it checks | source |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`;
  });
  return `# Diagnostic rules\n\nGenerated from the rule metadata by \`npm run rules-doc\`; do not edit by hand.\n\nEvery diagnostic carries one of these codes. Change a severity, or turn a rule off, with the\n\`ovfkit.severity\` setting (\`{ "vcloud/id-too-long": "error", "ref/connection": "off" }\`).\nChoose targets with \`ovfkit.targets\`, \`--target\` on the command line, or a comment in the\ndescriptor: \`<!-- ovfkit: targets=vcloud -->\`.\n\nThe source column says where each rule comes from: a clause of DMTF DSP0243 (OVF 1.1 numbering;\n2.x keeps the same clauses), a cloud's document, or observed behaviour. A rule no source backs is\na warning at most. Hardware limits are judged on what each deployment configuration deploys:\na limit broken only in a non-default configuration is a warning naming it.\n\n${sections.join('\n')}`;
}
