/**
 * Every relative path a page names must exist: a reader who follows one to a file that moved finds
 * nothing. Checked, in README.md and docs/:
 * - link and image targets (`[text](../examples/README.md)`, `![x](images/a.png)`, `src="…"`),
 *   relative to the page, anchors dropped;
 * - paths into this repository written in the text, in inline code, or in shell blocks
 *   (`examples/demo/`, `test/report/html.browser.test.ts`), from the repository's root or the
 *   page's folder. Globs (`test/**`) are left alone; TypeScript blocks are checked by type-checking.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The folders a path into the repository starts with; dist/ and .tmp/ are made, not kept. */
const REPO_PATH = /(?<![\w./@$-])(?:\.\/)?(?:examples|docs|src|test|bench|scripts|\.ci)\/[\w./-]*/g
const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|\bsrc="([^"]+)"/g
/** Fenced blocks whose paths are a reader's commands, so checked like text. */
const SHELL = new Set(['', 'sh', 'bash', 'shell', 'console', 'text'])

function isRelative(target: string): boolean {
  return !/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('/')
}

/** `source:line: …` for each path that does not exist; `source` is relative to `root`. */
export function brokenPaths(root: string, source: string): string[] {
  const folder = dirname(join(root, source))
  const problems: string[] = []
  let fence: string | undefined
  readFileSync(join(root, source), 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const opening = /^\s*```(\w*)/.exec(line)
      if (opening) {
        fence = fence === undefined ? (opening[1] ?? '') : undefined
        return
      }
      if (fence !== undefined && !SHELL.has(fence)) return
      const where = `${source}:${index + 1}`
      const seen = new Set<string>()
      for (const match of line.matchAll(LINK)) {
        const target = decodeURI((match[1] ?? match[2] ?? '').split('#')[0] ?? '')
        if (target === '' || !isRelative(target)) continue
        seen.add(target)
        if (!existsSync(join(folder, target))) problems.push(`${where}: the link \`${target}\` leads nowhere`)
      }
      for (const match of line.matchAll(REPO_PATH)) {
        const path = match[0].replace(/[.]+$/, '')
        if (seen.has(path)) continue
        if (existsSync(join(root, path)) || existsSync(join(folder, path))) continue
        problems.push(`${where}: the path \`${path}\` does not exist`)
      }
    })
  return problems
}
