import assert from 'node:assert/strict';
import {
  barChart,
  drawdownChart,
  equityChart,
  histogramBins,
  histogramGrid,
  lineChart,
  monthlyReturnsHeatmap,
  quantileReturnsChart,
  type ChartSpec,
} from '../../src/reports/chart-specs';
import { chartHtml, renderChartSvg } from '../../src/reports/chart-rendering';

const dates = ['2020-01-02', '2020-01-03', '2020-01-06', '2020-02-03', '2020-03-02'];

/** One spec per builder, on a few hand-made points. */
function everyChart(): Record<string, ChartSpec> {
  return {
    line: lineChart(dates.flatMap((date, i) => [{ date, series: 'a', value: i }, { date, series: 'b', value: i === 2 ? Number.NaN : -i }]), { title: 'lines' }),
    equity: equityChart(dates.map((date, i) => ({ date, equity: 100_000 + 1000 * i }))),
    drawdown: drawdownChart(dates.map((date, i) => ({ date, drawdown: -0.01 * i }))),
    monthly: monthlyReturnsHeatmap([{ year: 2020, month: 1, return: 0.02 }, { year: 2020, month: 2, return: -0.03 }, { year: 2021, month: 12, return: 0 }]),
    bars: barChart([{ label: 'momentum', value: 1200 }, { label: 'breakout', value: -300 }], { title: 'PnL by factor' }),
    groupedBars: barChart([{ label: 'MU', group: 'momentum', value: 5 }, { label: 'MU', group: 'breakout', value: -2 }, { label: 'GLD', group: 'momentum', value: 1 }, { label: 'GLD', group: 'breakout', value: 3 }]),
    histograms: histogramGrid([1, 2, 2, 3, 10].flatMap((value) => [{ name: 'x', value }, { name: 'y', value: -value }])),
    quantiles: quantileReturnsChart([1, 2, 3].flatMap((quantile) => [{ factor: 'f', quantile, meanReturn: 0.01 * (quantile - 2) }, { factor: 'g', quantile, meanReturn: 0.002 }])),
  };
}

function ids(svg: string): string[] {
  return [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
}

describe('reports/charts', () => {
  const warnings: string[] = [];
  const onWarning = (message: string) => warnings.push(message);
  const rendered: Record<string, string> = {};

  before(async () => {
    for (const [name, spec] of Object.entries(everyChart())) rendered[name] = await renderChartSvg(spec, { idPrefix: `chart-${name}`, onWarning });
  });

  it('every builder gives a spec vega-lite compiles without a warning', () => {
    assert.deepEqual(warnings, []);
  });

  it('renders SVG with drawn marks for every chart', () => {
    for (const [name, svg] of Object.entries(rendered)) {
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, name);
      const marks = svg.match(/<g class="mark-(line|area|rect|text|symbol)[^"]*"[^>]*>(<path|<rect|<text)/g) ?? [];
      assert.ok(marks.length > 0, `${name}: no drawn mark`);
    }
    const markCount = (svg: string, mark: string) => (svg.match(new RegExp(`<g class="mark-${mark} role-mark[^"]*"[^>]*>((?:<path[^>]*/>|<text[^>]*>[^<]*</text>)*)</g>`))?.[1].match(/<(path|text)/g) ?? []).length;
    assert.equal(markCount(rendered.bars, 'rect'), 2, 'one bar per factor');
    assert.equal(markCount(rendered.monthly, 'rect'), 3, 'one cell per month');
    assert.equal(markCount(rendered.monthly, 'text'), 3, 'one label per month');
  });

  it('the same spec renders to the same bytes, whatever was rendered before', async () => {
    const spec = everyChart().equity;
    const first = await renderChartSvg(spec);
    await renderChartSvg(everyChart().line);
    await renderChartSvg(everyChart().monthly);
    assert.equal(await renderChartSvg(spec), first);
  });

  it('element ids are namespaced per chart and every reference resolves inside its own SVG', () => {
    const seen = new Map<string, string>();
    for (const [name, svg] of Object.entries(rendered)) {
      for (const id of ids(svg)) {
        assert.ok(id.startsWith(`chart-${name}-`), `${name}: id ${id} is not namespaced`);
        assert.equal(seen.get(id), undefined, `id ${id} appears in ${seen.get(id)} and ${name}`);
        seen.set(id, name);
      }
      const own = new Set(ids(svg));
      for (const match of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(own.has(match[1]), `${name}: url(#${match[1]}) has no target`);
    }
    assert.ok(seen.size > 0, 'at least one chart uses a clip path');
  });

  it('wraps a chart in a figure with an escaped caption', async () => {
    const html = await chartHtml(everyChart().bars, { id: 'pnl', caption: 'PnL < 0 & > 0' });
    assert.match(html, /^<figure class="aq-chart" id="chart-pnl">\n<svg /);
    assert.match(html, /<figcaption>PnL &lt; 0 &amp; &gt; 0<\/figcaption><\/figure>$/);
  });

  it('a bad spec is an error naming the chart', async () => {
    await assert.rejects(renderChartSvg({ title: 'broken', mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative', bin: { maxbins: 'many' } } } } as unknown as ChartSpec, { onWarning: () => undefined }), /chart "broken"/);
  });

  it('histogram bins by hand', () => {
    assert.deepEqual(histogramBins([0, 1, 2, 3, 4, Number.NaN], 2), [{ start: 0, end: 2, count: 2 }, { start: 2, end: 4, count: 3 }]);
    assert.deepEqual(histogramBins([5, 5, 5]), [{ start: 5, end: 5, count: 3 }]);
    assert.deepEqual(histogramBins([Number.NaN]), []);
    const bins = histogramBins([-1, 0.3, 0.31, 7], 8);
    assert.equal(bins.reduce((sum, bin) => sum + bin.count, 0), 4);
    assert.equal(bins[7].end, 7);
  });
});
