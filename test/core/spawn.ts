import { type SpawnOptions, spawn } from 'node:child_process'

export interface Spawned {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly error: Error | undefined
}

/**
 * `spawnSync`'s result, without blocking the test worker: a worker blocked past 60 s (tsx on a busy
 * machine) misses vitest's RPC deadline ("Timeout calling onTaskUpdate") even though its tests pass.
 */
export function spawnAsync(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.once('error', (error) => resolve({ status: null, stdout, stderr, error }))
    child.once('close', (status) => resolve({ status, stdout, stderr, error: undefined }))
  })
}
