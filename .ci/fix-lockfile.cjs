#!/usr/bin/env node
// Adds lock entries for optional dependencies that the registry here does not serve (other
// platforms' binaries): npm ci then finds them in the lock, and skips them as failed optional installs.
const fs = require('node:fs')
const file = process.argv[2] ?? 'package-lock.json'
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const pkgs = lock.packages
let added = 0
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies || {})) {
    // resolve like node: nearest node_modules up the path
    const parts = path ? path.split('/node_modules/') : []
    let found = false
    for (let i = parts.length; i >= 0; i--) {
      const base = parts.slice(0, i).join('/node_modules/')
      const candidate = (base ? `${base}/node_modules/` : 'node_modules/') + name
      if (pkgs[candidate]) {
        found = true
        break
      }
    }
    if (found) continue
    const target = (path ? `${path}/node_modules/` : 'node_modules/') + name
    const hoisted = `node_modules/${name}`
    const key = pkgs[hoisted] ? target : hoisted
    pkgs[key] = { version: spec.replace(/^[\^~=]/, ''), dev: !!meta.dev, optional: true }
    added++
  }
}
const sorted = {}
for (const key of Object.keys(pkgs).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))))
  sorted[key] = pkgs[key]
lock.packages = sorted
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
console.log('added', added)
