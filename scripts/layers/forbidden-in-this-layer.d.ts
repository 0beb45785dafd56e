// The per-layer tsconfig.json files (server/src/ovf, client/src/transfer) map `vscode` and the LSP
// packages here. This file is deliberately not a module, so an import of them in those layers fails
// to compile with "…/forbidden-in-this-layer.d.ts is not a module". (A mapping to a missing file
// would not do: TypeScript then falls back to node_modules.)
