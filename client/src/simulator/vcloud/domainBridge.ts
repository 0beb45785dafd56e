// The one place the simulator meets the domain: the vCloud target's descriptor rules and the VM
// names vCloud gives long VirtualSystem ids.
import { validateText, vcloudVmNames } from '../../../../server/src/ovf';

/** Messages of the error findings the vCloud target reports for this descriptor text. */
export function vcloudRuleErrors(text: string): string[] {
  return validateText(text, { targets: ['vcloud'] })
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.message} (${f.code}, line ${f.range.start.line + 1})`);
}

export function vcloudVmNamesFor(ids: string[]): string[] {
  return vcloudVmNames(ids);
}
