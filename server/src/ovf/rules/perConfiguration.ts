// A hardware limit judged the way a cloud meets it: on what each deployment configuration deploys.
// A breach in the default configuration is what an import gets unless someone chooses otherwise,
// so it keeps the rule's severity; a breach only in other configurations is a warning that names them.
import { Severity, Span } from '../findings';
import { configurationNames, DeploymentConfiguration } from '../model/effectiveHardware';
import { RuleContext } from './rule';

export interface Breach {
  configuration: DeploymentConfiguration;
  span: Span;
  message: string;
  /** The severity in the default configuration; the rule's own when absent. */
  severity?: Severity;
}

export function reportBreaches(report: RuleContext['report'], breaches: Iterable<Breach>): void {
  const grouped = new Map<string, Breach[]>();
  for (const b of breaches) {
    const key = `${b.span.start}:${b.span.end}:${b.message}`;
    const group = grouped.get(key);
    if (group) {
      if (!group.some((g) => g.configuration === b.configuration)) group.push(b);
    } else {
      grouped.set(key, [b]);
    }
  }
  for (const group of grouped.values()) {
    const first = group[0];
    const configs = group.map((g) => g.configuration);
    if (configs.some((c) => c.isDefault)) {
      const which = configs.length === 1 ? 'the default deployment configuration' : 'the deployment configurations';
      const named = configs[0].id !== undefined ? ` (in ${which} ${configurationNames(configs)})` : '';
      report(first.span, first.message + named, { severity: first.severity });
    } else {
      const plural = configs.length > 1 ? 's' : '';
      report(first.span, `${first.message}, only in the non-default deployment configuration${plural} ${configurationNames(configs)}`, { severity: 'warning' });
    }
  }
}
