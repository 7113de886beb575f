// Prints one line per failed test of a vitest JSON report (`--reporter=json --outputFile=F`): the
// file, the test's full name and the first line of its first failure message. Usage: node
// .ci/failed-tests.mjs F
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'))
for (const file of report.testResults ?? []) {
  const path = relative(process.cwd(), file.name)
  const failed = (file.assertionResults ?? []).filter((test) => test.status === 'failed')
  if (failed.length === 0 && file.status === 'failed') {
    console.log(`${path}: ${String(file.message ?? 'failed').split('\n')[0]}`)
  }
  for (const test of failed) {
    const why = String(test.failureMessages?.[0] ?? '').split('\n')[0]
    console.log(`${path} > ${test.fullName}: ${why.slice(0, 300)}`)
  }
}
