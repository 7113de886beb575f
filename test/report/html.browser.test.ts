import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, describe, expect, test } from 'vitest'
import type { ShutdownReport } from '../../src/index.js'
import { formatHTML } from '../../src/report/index.js'
import { defined } from '../core/helpers.js'
import { launchChromium } from './browser.js'
import { interruptedStart, realReport } from './fixtures.js'

// Launched by the first test and shared; no Chromium makes every test fail with the reason, none skips.
let launched: Promise<{ browser: Browser; close: () => Promise<void> }> | undefined
async function browser(): Promise<Browser> {
  launched ??= launchChromium()
  return (await launched).browser
}

afterAll(async () => {
  await (await launched?.catch(() => undefined))?.close()
})

/** The page in a fresh context with the network cut: a self-contained page needs none. */
async function open(report: ShutdownReport): Promise<{ page: Page; requests: string[] }> {
  const context = await (await browser()).newContext({ viewport: { width: 1100, height: 700 } })
  const requests: string[] = []
  await context.route('**/*', (route) => {
    requests.push(route.request().url())
    return route.abort()
  })
  const page = await context.newPage()
  await page.setContent(formatHTML(report), { waitUntil: 'load' })
  return { page, requests }
}

type Box = { x: number; y: number; width: number; height: number }

async function box(page: Page, selector: string): Promise<Box> {
  return defined((await page.locator(selector).boundingBox()) ?? undefined, `box of ${selector}`)
}

/** Where a time falls on screen, from the plot area's box and the range the page says it draws. */
async function scale(page: Page): Promise<(at: number) => number> {
  const plot = await box(page, '#plot')
  const from = Number(await page.locator('#timeline').getAttribute('data-from-ms'))
  const to = Number(await page.locator('#timeline').getAttribute('data-to-ms'))
  return (at) => plot.x + ((at - from) / (to - from)) * plot.width
}

describe('formatHTML(report) in a real Chromium', { timeout: 60_000 }, () => {
  test('every hook is a bar at the place and of the length its timings give; a screenshot is taken', async () => {
    const report = await realReport()
    const { page, requests } = await open(report)
    const x = await scale(page)
    for (const phase of report.phases) {
      const phaseBox = await box(page, `rect.phase[data-phase="${phase.name} (${phase.priority})"]`)
      expect(phaseBox.x).toBeCloseTo(x(phase.startMs), 0)
      for (const hook of phase.hooks) {
        const bar = await box(page, `rect.bar[data-hook="${hook.name}"]`)
        expect(bar.x).toBeCloseTo(x(hook.startMs), 0)
        expect(bar.width).toBeCloseTo(Math.max(1.5, x(hook.startMs + hook.durationMs) - x(hook.startMs)), 0)
        // Hooks stand below their phase, phases in the order they ran.
        expect(bar.y).toBeGreaterThan(phaseBox.y)
        expect(await page.locator(`rect.bar[data-hook="${hook.name}"]`).getAttribute('data-status')).toBe(
          hook.status,
        )
      }
    }
    // Failures are drawn in their own colours.
    const fill = (name: string) =>
      page
        .locator(`rect.bar[data-hook="${name}"]`)
        .evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(el)
              .fill,
        )
    expect(await fill('http')).toBe('rgb(191, 135, 0)')
    expect(await fill('db')).toBe('rgb(207, 34, 46)')
    expect(await fill('ws')).toBe('rgb(45, 164, 78)')
    const dir = mkdtempSync(join(tmpdir(), 'gl-html-'))
    const shot = await page.screenshot({ path: join(dir, 'report.png'), fullPage: true })
    expect(readFileSync(join(dir, 'report.png')).subarray(1, 4).toString()).toBe('PNG')
    expect(shot.length).toBeGreaterThan(10_000)
    expect(requests).toEqual([])
  })

  test("hovering a bar shows that hook's status, timings, budget and details", async () => {
    const report = await realReport()
    const { page } = await open(report)
    const tip = page.locator('#tip')
    await expect.poll(() => tip.isVisible()).toBe(false)
    await page.hover('rect.bar[data-hook="http"]')
    await expect.poll(() => tip.isVisible()).toBe(true)
    const text = await tip.textContent()
    expect(text).toContain('http — timeout')
    expect(text).toMatch(/of a 40 ms budget/)
    expect(text).toContain('drained=3 destroyed=1')
    await page.hover('rect.bar[data-hook="db"]')
    expect(await tip.textContent()).toContain('pool.end failed')
    await page.mouse.move(2, 2)
    await expect.poll(() => tip.isVisible()).toBe(false)
  })

  test('an interrupted start is drawn left of the stop, a budget where it ends, hostile names as text', async () => {
    const report = interruptedStart()
    const evil = report.phases[1]?.hooks[1] as { name: string }
    evil.name = '<img src=x onerror="window.hacked=1">'
    const { page, requests } = await open(report)
    const x = await scale(page)
    expect((await box(page, 'rect.bar[data-hook="migrate"]')).x).toBeCloseTo(x(-120), 0)
    const zero = await box(page, 'line.grid.zero')
    expect(zero.x + zero.width / 2).toBeCloseTo(x(0), 0)
    const budget = await box(page, 'line.budget[data-hook="migrate"]')
    expect(budget.x + budget.width / 2).toBeCloseTo(x(-120 + 100), 0)
    expect(await page.locator('line.budget[data-hook="db"]').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined()
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.getByText(evil.name, { exact: true }).first().isVisible()).toBe(true)
    expect(requests).toEqual([])
  })
})
