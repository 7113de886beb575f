import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const source = fileURLToPath(new URL('../../fixtures/frameworks/next-app/', import.meta.url))
const root = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * Copies the fixture app to a temporary folder (with the package's node_modules linked in) and
 * runs `next build` there, offline. Webpack, not Turbopack: Turbopack refuses a node_modules that
 * resolves outside the project's root. Returns the folder.
 */
export async function buildNextApp(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gl-next-'))
  cpSync(source, dir, { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/next/dist/bin/next'), 'build', '--webpack'],
    {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      maxBuffer: 16 * 1024 * 1024,
    },
  )
  return dir
}
