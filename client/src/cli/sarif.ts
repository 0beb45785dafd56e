// SARIF 2.1.0 (OASIS) for code-scanning services: one run whose tool.driver lists every ovfkit
// rule (with its description and a link to its row in docs/RULES.md) and whose results carry
// ruleId, level, message, the physical location and the related locations. Required by the
// schema: log.version and runs, run.tool.driver.name, rule.id, result.message.text.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledRulesDoc, MANIFEST_CHECKS, ruleDocUri, RULES, Severity, SYNTAX_RULES } from '../../../server/src/ovf';
import type { JsonFinding, JsonLocation } from './report';

declare const OVFKIT_VERSION: string | undefined;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(findings: JsonFinding[]): object {
  const docs = bundledRulesDoc(__dirname);
  const known = [...SYNTAX_RULES, ...RULES, ...MANIFEST_CHECKS];
  const rules: object[] = known.map((r) => ({
    id: r.code,
    shortDescription: { text: r.description },
    help: { text: r.description },
    ...optional('helpUri', ruleDocUri(r.code, docs)),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { target: r.target, category: r.category },
  }));
  const index = new Map(known.map((r, i) => [r.code, i]));
  // A code no metadata describes (none today): listed by id only, so every result has its rule.
  for (const f of findings) {
    if (!index.has(f.code)) {
      index.set(f.code, rules.length);
      rules.push({ id: f.code });
    }
  }
  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'ovfkit', version: typeof OVFKIT_VERSION === 'string' ? OVFKIT_VERSION : 'dev', rules } },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: index.get(f.code),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [location(f)],
        ...(f.related?.length && { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r), message: { text: r.message } })) }),
      })),
    }],
  };
}

function location(at: JsonLocation): object {
  return {
    physicalLocation: {
      artifactLocation: artifact(at.file),
      // SARIF's endColumn is the column after the region, like ours; an empty region is a point.
      region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
    },
  };
}

/** Relative paths stay relative to the checkout (%SRCROOT%), as code-scanning uploads expect. */
function artifact(file: string): object {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [k in K]: V });
}
