import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let cached: { key: Buffer; cert: Buffer } | undefined

/** A self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` CLI (once per worker). */
export function selfSigned(): { key: Buffer; cert: Buffer } {
  if (cached) return cached
  const dir = mkdtempSync(join(tmpdir(), 'gl-cert-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    )
    cached = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }
    return cached
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
