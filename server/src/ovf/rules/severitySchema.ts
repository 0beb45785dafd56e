// The JSON schema of the `ovfkit.severity` setting, generated from the rule list so the settings
// editor offers every code with its description (package.json carries it; `npm run rules-doc`
// rewrites it and a test checks it is current).
import { RULES, SYNTAX_RULES } from './index';

const LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;

export function severitySchema(): Record<string, unknown> {
  const rules = [...SYNTAX_RULES, ...RULES];
  const properties: Record<string, unknown> = {};
  for (const r of rules) {
    properties[r.code] = { type: 'string', enum: [...LEVELS], markdownDescription: `${r.description} Default: \`${r.severity}\`.` };
  }
  return {
    type: 'object',
    default: {},
    scope: 'resource',
    propertyNames: { enum: rules.map((r) => r.code), errorMessage: 'Not an ovfkit diagnostic code (see docs/RULES.md)' },
    properties,
    additionalProperties: false,
  };
}
