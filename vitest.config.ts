import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vitest/config'

const src = fileURLToPath(new URL('./src/', import.meta.url))

/**
 * `import … from 'graceful-lifecycle/x'` in examples and tests resolves to this repo's sources,
 * as tsconfig.json's `paths` do for tsc and tsx: examples import the package by its name (so they
 * can be copied into an app) and run without a build.
 */
function packageFromSources(): Plugin {
  return {
    name: 'graceful-lifecycle-from-sources',
    enforce: 'pre',
    resolveId(id) {
      if (id === 'graceful-lifecycle') return `${src}index.ts`
      const subpath = /^graceful-lifecycle\/([\w-]+)$/.exec(id)?.[1]
      if (subpath === undefined) return null
      const candidates = [`${src}${subpath}/index.ts`, `${src}adapters/${subpath}/index.ts`]
      return candidates.find((candidate) => existsSync(candidate)) ?? null
    },
  }
}

/** Whether vitest was asked for the unit project alone (`vitest run --project unit`). */
function unitProjectOnly(argv: readonly string[] = process.argv): boolean {
  const projects = argv.flatMap((arg, i) =>
    arg === '--project' ? [argv[i + 1]] : arg.startsWith('--project=') ? [arg.slice(10)] : [],
  )
  return projects.length === 1 && projects[0] === 'unit'
}

export default defineConfig({
  plugins: [packageFromSources()],
  test: {
    // Vitest's default is one worker per core but one: a single worker on 2 cores. Most test files
    // wait on child processes and sockets, not on the CPU: 2 workers alone took `npm test` from
    // 249 s to 171 s on a 2-core machine (157 s with the files that run their child processes
    // concurrently). With more cores, the default. Only for the unit project (`npm test`): the
    // runtimes and services suites keep the default.
    ...(unitProjectOnly() ? { maxWorkers: Math.max(2, availableParallelism() - 1) } : {}),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
          // The browser test needs Chromium and test/runtimes other runtimes: `npm test` needs nothing but
          // Node (`npm run test:browser`, `npm run test:runtimes`).
          exclude: ['test/services/**', 'test/runtimes/**', '**/*.browser.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'services',
          include: ['test/services/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/services/global-setup.ts'],
        },
      },
      {
        // .ci/runtime-matrix: the built package (dist/) in child processes on Node, Bun and Deno.
        extends: true,
        test: {
          name: 'runtimes',
          include: ['test/runtimes/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
