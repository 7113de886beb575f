/** The JavaScript runtime this process runs on. */
export type RuntimeName = 'node' | 'bun' | 'deno'

/** @internal What the report's `details.runtime` and the degradations say: `bun 1.4.5`. */
export interface RuntimeInfo {
  readonly name: RuntimeName
  readonly version: string
}

/**
 * @internal Read from `process.versions`, which Bun and Deno fill with their own version next to
 * the Node version they emulate (so `process.version` alone would say "node" on all three).
 */
export function currentRuntime(): RuntimeInfo {
  const versions = process.versions as Partial<Record<string, string>>
  if (versions.bun !== undefined) return { name: 'bun', version: versions.bun }
  if (versions.deno !== undefined) return { name: 'deno', version: versions.deno }
  return { name: 'node', version: versions.node ?? process.version.replace(/^v/, '') }
}

/** @internal `bun 1.4.5`, `deno 2.9.6`, `node 22.12.0`. */
export function runtimeLabel(runtime: RuntimeInfo = currentRuntime()): string {
  return `${runtime.name} ${runtime.version}`
}
