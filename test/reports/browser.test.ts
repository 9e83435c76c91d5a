/**
 * The report and the exported notebooks in a real browser (headless Chromium via playwright-core):
 * no console error, no request but the file itself (every request is routed and anything else is
 * aborted and fails the test), every chart drawn, and a screenshot that is not blank. Screenshots
 * are kept in reports/screenshots/ for a person to look at.
 *
 * Skips, saying so, when /usr/bin/chromium is absent (a user's clone); CI installs it. The notebook
 * pages are checked when `npm run notebooks` has written reports/<notebook>.html.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { main } from '../../src/cli/main';
import { decodePng, greyVariance } from './png';
import { repositoryRoot, sampleUniversePath } from './fixtures';

const chromiumPath = '/usr/bin/chromium';
const screenshotDir = join(repositoryRoot, 'reports', 'screenshots');
const notebookNames = readdirSync(join(repositoryRoot, 'notebooks')).filter((name) => name.endsWith('.ipynb')).sort();

interface PageVisit {
  readonly requests: string[];
  readonly aborted: string[];
  readonly failed: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
}

/** Opens `file` with every request routed: only the file itself may load. */
async function visit(context: BrowserContext, file: string): Promise<{ page: Page; visit: PageVisit }> {
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const record: PageVisit = { requests: [], aborted: [], failed: [], consoleErrors: [], pageErrors: [] };
  await page.route('**/*', async (route) => {
    const requested = route.request().url();
    record.requests.push(requested);
    if (requested === url) await route.continue();
    else {
      record.aborted.push(requested);
      await route.abort('blockedbyclient');
    }
  });
  page.on('requestfailed', (request) => record.failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('console', (message) => {
    if (message.type() === 'error') record.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => record.pageErrors.push(error.message));
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.ok(response !== null, `${file}: no response`);
  return { page, visit: record };
}

interface ChartState {
  readonly id: string;
  readonly svgs: number;
  readonly marks: number;
  readonly width: number;
  readonly height: number;
}

async function charts(page: Page): Promise<ChartState[]> {
  return page.$$eval('figure.aq-chart', (figures) => figures.map((figure) => {
    const svg = figure.querySelector('svg');
    const box = svg?.getBoundingClientRect();
    return {
      id: figure.id,
      svgs: figure.querySelectorAll('svg').length,
      marks: figure.querySelectorAll('svg g.role-mark path, svg g.role-mark rect, svg g.role-mark text, svg g.role-mark line').length,
      width: box?.width ?? 0,
      height: box?.height ?? 0,
    };
  }));
}

function assertClean(name: string, record: PageVisit, file: string): void {
  assert.deepEqual(record.aborted, [], `${name}: requests other than the file`);
  assert.deepEqual(record.requests, [pathToFileURL(file).href], `${name}: exactly one request, the file`);
  assert.deepEqual(record.failed, [], `${name}: failed requests`);
  assert.deepEqual(record.consoleErrors, [], `${name}: console errors`);
  assert.deepEqual(record.pageErrors, [], `${name}: page errors`);
}

function assertChartsDrawn(name: string, states: readonly ChartState[]): void {
  assert.ok(states.length > 0, `${name}: no chart`);
  for (const state of states) {
    assert.equal(state.svgs >= 1, true, `${name} ${state.id}: no SVG`);
    assert.ok(state.marks > 0, `${name} ${state.id}: no drawn mark`);
    assert.ok(state.width > 100 && state.height > 50, `${name} ${state.id}: drawn ${state.width}x${state.height}`);
  }
}

/** Screenshot of the first screen, saved for people, with its grey-level variance. */
async function screenshotVariance(page: Page, name: string): Promise<number> {
  const png = await page.screenshot({ fullPage: false });
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(join(screenshotDir, `${name}.png`), png);
  return greyVariance(decodePng(png));
}

describe('reports in headless Chromium', function () {
  let context: BrowserContext;
  let profile: string;
  let work: string;

  before(async function () {
    if (!existsSync(chromiumPath)) {
      console.warn(`    skipped: ${chromiumPath} is absent (CI installs it: apt-get install chromium)`);
      this.skip();
    }
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'aq-chromium-profile-'));
    work = mkdtempSync(join(tmpdir(), 'aq-browser-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1100, height: 1400 },
      // Without the background-networking flags Chromium phones home at start; those
      // connections are refused on a closed network and would show up as noise.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('the PNG reader and the variance measure work (blank page 0, half black half white known)', async () => {
    const page = await context.newPage();
    await page.setContent('<html><body style="margin:0;background:#fff"></body></html>');
    assert.equal(greyVariance(decodePng(await page.screenshot())), 0);
    await page.setContent('<html><body style="margin:0"><div style="height:700px;background:#000"></div><div style="height:700px;background:#fff"></div></body></html>');
    const pixels = decodePng(await page.screenshot());
    assert.deepEqual([pixels.width, pixels.height], [1100, 1400]);
    assert.ok(Math.abs(greyVariance(pixels) - 127.5 ** 2) < 1e-6);
    await page.close();
  });

  it('the request guard sees and blocks any other request (control: a page with a remote image and a local stylesheet)', async () => {
    const file = join(work, 'control.html');
    writeFileSync(file, '<!DOCTYPE html><html><head><link rel="stylesheet" href="style.css"></head><body><img src="https://example.invalid/x.png"></body></html>');
    const { page, visit: record } = await visit(context, file);
    assert.deepEqual([...record.aborted].sort(), ['https://example.invalid/x.png', pathToFileURL(join(work, 'style.css')).href].sort());
    assert.throws(() => assertClean('control', record, file), /requests other than the file/);
    await page.close();
  });

  it('the backtest report: no request but itself, no console error, every chart drawn, not blank', async () => {
    // The acceptance path: `aq report` on the sample universe, lookahead checks included.
    const file = join(work, 'report.html');
    let stderr = '';
    const code = await main(['report', '--universe', sampleUniversePath, '--out', file, '--lookahead-cuts', '2'], { stdout: () => undefined, stderr: (text) => { stderr += text; }, interactive: false });
    assert.equal(code, 0, stderr);
    const { page, visit: record } = await visit(context, file);
    assertClean('report', record, file);
    const states = await charts(page);
    assert.deepEqual(states.map((state) => state.id), ['chart-equity', 'chart-drawdown', 'chart-monthly-returns', 'chart-pnl-by-factor', 'chart-pnl-by-symbol']);
    assertChartsDrawn('report', states);
    assert.equal(await page.locator('#lookahead .verdict-pass').count(), 1, 'the lookahead checks ran and passed');
    const variance = await screenshotVariance(page, 'report');
    assert.ok(variance > 100, `report screenshot grey variance ${variance.toFixed(1)}: blank?`);
    await page.close();
  });

  for (const notebook of notebookNames) {
    const name = basename(notebook, '.ipynb');
    it(`exported notebook ${name}.html (from npm run notebooks)`, async function () {
      const file = join(repositoryRoot, 'reports', `${name}.html`);
      if (!existsSync(file)) {
        console.warn(`    skipped: ${file} does not exist; run 'npm run notebooks' to export the notebooks, then rerun this test`);
        this.skip();
      }
      const { page, visit: record } = await visit(context, file);
      assertClean(name, record, file);
      assertChartsDrawn(name, await charts(page));
      const variance = await screenshotVariance(page, name);
      assert.ok(variance > 100, `${name} screenshot grey variance ${variance.toFixed(1)}: blank?`);
      await page.close();
    });
  }
});
