// Ids of the editor commands that the language server's code actions and the domain's remedies
// name; the client registers them. One place, so the server never names a command that is gone.
export const GENERATE_MANIFEST_COMMAND = 'ovfkit.generateManifest';
/** Sets `ovfkit.severity` CODE → off in the workspace settings; arguments: (code, documentUri). */
export const DISABLE_IN_WORKSPACE_COMMAND = 'ovfkit.disableRuleInWorkspace';
