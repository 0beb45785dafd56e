// What a rule is: stable code, target, default severity, a description for docs and hover, and a
// check over the descriptor model that reports findings (with fixes where the fix is mechanical).
import { Fix, RelatedSpan, Remedy, Severity, Span } from '../findings';
import { Descriptor } from '../model/descriptor';
import { PackageFacts } from '../package/packageFacts';
import { ValidationSettings } from '../settings';

export type TargetName = 'generic' | 'vcloud' | 'cloudcontrol';
export const TARGET_NAMES: readonly TargetName[] = ['generic', 'vcloud', 'cloudcontrol'];

/**
 * syntax/structure/reference: the descriptor is not valid OVF. package: the files beside it do not
 * match it. cloud: a target refuses or changes what is otherwise valid.
 */
export type RuleCategory = 'syntax' | 'structure' | 'reference' | 'package' | 'cloud';

export interface RuleMeta {
  code: string;
  target: TargetName;
  category: RuleCategory;
  severity: Severity;
  description: string;
  /** Where the rule comes from: a DSP0243 clause, a CIM class, a cloud's document, or observed behaviour. */
  source: string;
}

export interface Report {
  /** This finding's severity when it differs from the rule's: a limit broken only in a non-default configuration, the spec's must against a tolerated habit. */
  severity?: Severity;
  related?: RelatedSpan[];
  fixes?: Fix[];
  remedy?: Remedy;
}

export interface RuleContext {
  doc: Descriptor;
  settings: ValidationSettings;
  /** Facts about the files beside the descriptor; absent when there is no folder (untitled). */
  pkg: PackageFacts | undefined;
  /** The targets in force for this descriptor (always includes 'generic'). */
  targets: ReadonlySet<TargetName>;
  report(span: Span, message: string, extra?: Report): void;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}
