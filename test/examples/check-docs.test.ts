import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { ROOT } from './child.js'

// The checker against src/ (`--sources`): no build needed. CI runs it against dist/. Each test
// spawns tsc over the repository's types: a minute on a loaded machine, hence the long timeouts.
const dir = join(ROOT, '.tmp', `check-docs-test-${process.pid}`)
mkdirSync(dir, { recursive: true })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Not spawnSync: a test that blocks its worker past 60 s (tsc on a busy machine) misses vitest's
 * RPC deadline ("Timeout calling onTaskUpdate"), and the run fails with every test passed.
 */
function check(
  name: string,
  markdown: string,
  ...flags: string[]
): Promise<{ code: number | null; output: string }> {
  writeFileSync(join(dir, name), markdown)
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '.ci/check-docs.ts',
      '--sources',
      ...flags,
      `.tmp/check-docs-test-${process.pid}/${name}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 170_000 },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output: stdout + stderr }))
  })
}

const fence = '```'

test('a block that does not type-check fails, named by file and line; a marked fragment passes', async () => {
  const bad = await check(
    'bad.md',
    `# t\n\n${fence}ts\nimport { Lifecycle } from 'graceful-lifecycle'\nnew Lifecycle({ timeout: 'soon' })\n${fence}\n`,
    '--no-run',
  )
  expect(bad.code).toBe(1)
  expect(bad.output).toMatch(/bad\.md:5: .*'string' is not assignable/)

  const fragment = await check(
    'fragment.md',
    `<!-- docs-check: context\ndeclare const lifecycle: import('graceful-lifecycle').Lifecycle\n-->\n${fence}ts\nlifecycle.handleSignals()\n${fence}\n\n${fence}sh\nnot code\n${fence}\n`,
    '--no-run',
  )
  expect(fragment).toMatchObject({ code: 0 })
  expect(fragment.output).toMatch(/1 blocks in 1 files type-check against src\//)
}, 180_000)

test('a whole program runs and must stop cleanly on SIGTERM: a stop hook that never settles fails it', async () => {
  const program = (stop: string) =>
    `<!-- docs-check: run -->\n${fence}ts\nimport { Lifecycle } from 'graceful-lifecycle'\nconst lifecycle = new Lifecycle({ timeout: 2_000 })\nlifecycle.onStop('db', ${stop}, { timeout: 500 })\nlifecycle.handleSignals()\nawait lifecycle.start()\nsetInterval(() => {}, 1_000)\n${fence}\n`
  expect(await check('clean.md', program('() => {}'))).toMatchObject({ code: 0 })
  const hung = await check('hung.md', program('() => new Promise(() => {})'))
  expect(hung.code).toBe(1)
  expect(hung.output).toMatch(/hung\.md:3: the program ended with code 1/)
  expect(hung.output).toMatch(/db +timeout/)
}, 180_000)

test('a relative path that leads nowhere fails, in a link, in the text or in a shell block; real ones pass', async () => {
  // The page sits in .tmp/check-docs-test-<pid>/: links are relative to it, repository paths to the root.
  const good = await check(
    'paths.md',
    `# t\n\nSee [the demo](../../examples/demo/index.ts#L1), \`examples/node-http/\` and docs/http.md.\n\n${fence}sh\nnode --import tsx examples/demo/index.ts\n${fence}\n`,
    '--no-run',
  )
  expect(good).toMatchObject({ code: 0 })
  expect(good.output).toMatch(/every relative path exists/)

  const bad = await check(
    'broken.md',
    `# t\n\nSee [the guide](../../docs/nowhere.md).\n\nRun \`examples/http\` first.\n\n${fence}sh\nnode test/gone.ts\n${fence}\n\n[fine](https://example.com/x.md) [anchor](#t)\n`,
    '--no-run',
  )
  expect(bad.code).toBe(1)
  expect(bad.output).toMatch(/broken\.md:3: the link `\.\.\/\.\.\/docs\/nowhere\.md` leads nowhere/)
  expect(bad.output).toMatch(/broken\.md:5: the path `examples\/http` does not exist/)
  expect(bad.output).toMatch(/broken\.md:8: the path `test\/gone\.ts` does not exist/)
  expect(bad.output).toMatch(/check-docs: 3 problem/)
}, 180_000)
