// The domain's one door: everything the client (glue, transfer, CLI, simulators) uses from the
// domain comes through here, so the domain's folders can move without touching the client.
// The language server and the domain's own tests may reach inside; the client may not
// (test/unit/layers.test.ts).
export * from './authoring/newDescriptor';
export * from './authoring/writeNewDescriptor';
export * from './editorCommands';
export * from './findings';
export * from './format/quantities';
export * from './lineIndex';
export * from './manifest/algorithms';
export * from './manifest/defaultAlgorithm';
export * from './manifest/digestFile';
export * from './manifest/errors';
export * from './manifest/generateManifest';
export * from './manifest/hashFiles';
export * from './manifest/manifestChecks';
export * from './manifest/manifestFreshness';
export * from './manifest/packageMembers';
export * from './manifest/parseManifest';
export * from './manifest/progressText';
export * from './manifest/verifyPackage';
export * from './model/descriptor';
export * from './ova/ovaEntryPath';
export * from './ova/ovaIndex';
export * from './ova/packOva';
export * from './ova/packPackage';
export * from './ova/unpackOva';
export * from './ova/validateOva';
export * from './ova/verifyOva';
export * from './package/openPackageFile';
export * from './package/packageFacts';
export * from './package/packageFiles';
export * from './remedies';
export * from './rules/index';
export * from './rules/rule';
export * from './rules/ruleDocs';
export * from './settings';
export * from './signature/certificate';
export * from './signature/checkCertFile';
export * from './signature/signPackage';
export * from './targets/targetsDirective';
export * from './targets/vcloudNames';
export * from './upload/planUpload';
export * from './upload/uploadReadiness';
export * from './validate';
export * from './xml/localNames';
export * from './xml/xmlTree';
