// Node flags for the language server process, used by the extension that launches it and by the
// tests and benches that start it, so what is measured is what ships.
//
// A larger young generation: every edit re-parses the descriptor into a tree that survives, and
// with V8's default 16 MB semi-spaces a multi-megabyte descriptor pays for many scavenges per
// parse. 64 MB measured 20-25% faster validation of 1 MB and 12 MB descriptors (bench/validate).
export const LANGUAGE_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
