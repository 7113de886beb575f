/**
 * `npm run screenshots`: the images in docs/images, made from the code, so they stay true.
 * - terminal-timeline.png: `scripts/demo-stop.ts` stopping on SIGTERM in a real terminal (a tmux
 *   pane: a TTY, so the console logger colours it), captured with its colours (`capture-pane -e`),
 *   turned into HTML and photographed by headless Chromium.
 * - html-report.png: that stop's `formatHTML(report)` in Chromium, the pointer on a hook (its tooltip).
 * Needs tmux and Chromium (`apt-get install -y tmux chromium`).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { formatHTML, reportFromJSON } from '../src/report/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const images = join(root, 'docs/images')
const work = mkdtempSync(join(tmpdir(), 'gl-shots-'))
const reportFile = join(work, 'report.json')
const socket = `gl-shots-${process.pid}`
const COLUMNS = 132
const ROWS = 44

const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' })

/** The pane's text with its SGR colours, as the terminal drew it. */
async function captureTerminal(): Promise<string> {
  const command = `cd ${JSON.stringify(root)} && clear && node --import tsx scripts/demo-stop.ts ${JSON.stringify(reportFile)}; sleep 60`
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.NO_COLOR
  delete env.FORCE_COLOR
  execFileSync(
    'tmux',
    [
      '-L',
      socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      String(COLUMNS),
      '-y',
      String(ROWS),
      'sh',
      '-c',
      command,
    ],
    {
      env: { ...env, TERM: 'xterm-256color' },
    },
  )
  try {
    for (let i = 0; i < 200 && !existsSync(reportFile); i++) await sleep(100)
    if (!existsSync(reportFile)) throw new Error('the demo stop did not finish in the tmux pane')
    await sleep(800)
    return tmux('capture-pane', '-p', '-e', '-J', '-S', '-')
  } finally {
    tmux('kill-server')
  }
}

const PALETTE: Record<number, string> = {
  30: '#484f58',
  31: '#ff7b72',
  32: '#3fb950',
  33: '#d29922',
  34: '#58a6ff',
  35: '#bc8cff',
  36: '#39c5cf',
  37: '#b1bac4',
}

/** SGR escapes to spans: the handful the timeline writes (reset, bold, dim, the eight colours). */
function ansiToHtml(text: string): string {
  const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  let html = ''
  let open = false
  let state = { bold: false, dim: false, color: undefined as string | undefined }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: parsing terminal escapes
  for (const part of text.split(/(\u001b\[[\d;]*m)/)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: parsing terminal escapes
    const sgr = part.match(/^\u001b\[([\d;]*)m$/)
    if (!sgr) {
      html += escapeHtml(part)
      continue
    }
    for (const code of (sgr[1] || '0').split(';').map(Number)) {
      if (code === 0) state = { bold: false, dim: false, color: undefined }
      else if (code === 1) state.bold = true
      else if (code === 2) state.dim = true
      else if (code === 22) state = { ...state, bold: false, dim: false }
      else if (code === 39) state.color = undefined
      else if (PALETTE[code]) state.color = PALETTE[code]
    }
    if (open) html += '</span>'
    const style = [
      state.color ? `color:${state.color}` : '',
      state.bold ? 'font-weight:700' : '',
      state.dim ? 'opacity:.6' : '',
    ].filter(Boolean)
    open = style.length > 0
    if (open) html += `<span style="${style.join(';')}">`
  }
  return open ? `${html}</span>` : html
}

async function main(): Promise<void> {
  const terminal = (await captureTerminal()).replace(/\s+$/, '')
  if (!terminal.includes('\u001b[')) throw new Error('the pane shows no colour: was it not a TTY?')
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1180, height: 400 }, deviceScaleFactor: 2 })
    await page.setContent(
      `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#0d1117">
      <div style="display:inline-block;padding:18px 22px;border-radius:10px;background:#0d1117">
      <div style="color:#8b949e;font:12px system-ui;margin-bottom:10px">$ node service.js   # then: kill -TERM $pid</div>
      <pre id="term" style="margin:0;color:#c9d1d9;font:13px/1.35 'DejaVu Sans Mono',monospace">${ansiToHtml(terminal)}</pre></div>`,
    )
    await page.locator('body > div').screenshot({ path: join(images, 'terminal-timeline.png') })

    const report = reportFromJSON(JSON.parse(readFileSync(reportFile, 'utf8')))
    const html = await browser.newPage({ viewport: { width: 1060, height: 720 }, deviceScaleFactor: 2 })
    await html.setContent(formatHTML(report))
    const bar = html.locator('rect.bar[data-hook="orders-consumer"]')
    const box = await bar.boundingBox()
    if (box) await html.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2)
    await html.screenshot({ path: join(images, 'html-report.png'), fullPage: true })
  } finally {
    await browser.close()
    rmSync(work, { recursive: true, force: true })
  }
  process.stdout.write(
    `wrote ${join(images, 'terminal-timeline.png')} and ${join(images, 'html-report.png')}\n`,
  )
}

await main()
