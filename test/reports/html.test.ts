import assert from 'node:assert/strict';
import { formatMoney, formatNumber, formatPercent, htmlTable, objectsTable } from '../../src/reports/html';
import { html, joinHtml, rawHtml } from '../../src/reports/html-template';

describe('reports/html', () => {
  it('escapes the five HTML special characters in every interpolated text, and only there', () => {
    const text = `<a href="x">Tom & Jerry's</a>`;
    assert.equal(html`<p title="${text}">${text}</p>`.toString(), '<p title="&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;">&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;</p>');
    assert.equal(html`<b>${12.5}</b>`.toString(), '<b>12.5</b>');
  });

  it('inserts nested templates and raw markup as they are, never escaping twice', () => {
    const inner = html`<i>${'a < b'}</i>`;
    assert.equal(html`<p>${inner}</p>`.toString(), '<p><i>a &lt; b</i></p>');
    assert.equal(html`<div>${rawHtml('<svg id="x"></svg>')}</div>`.toString(), '<div><svg id="x"></svg></div>');
    // Lists are joined with nothing, each item escaped unless safe; joinHtml puts markup between them.
    assert.equal(html`<ul>${['<1>', html`<li>2</li>`]}</ul>`.toString(), '<ul>&lt;1&gt;<li>2</li></ul>');
    assert.equal(joinHtml([html`<li>1</li>`, '&'], '\n').toString(), '<li>1</li>\n&amp;');
  });

  it('formats money with thousands separators, independently of the locale', () => {
    assert.equal(formatMoney(1234567.891), '1,234,567.89');
    assert.equal(formatMoney(-1234.5), '-1,234.50');
    assert.equal(formatMoney(0), '0.00');
    // A value that rounds to zero is not written "-0.00".
    assert.equal(formatMoney(-0.004), '0.00');
    assert.equal(formatMoney(100000, 0), '100,000');
    assert.equal(formatMoney(Number.NaN), 'NaN');
  });

  it('formats fractions as percentages and undefined metrics as n/a', () => {
    assert.equal(formatPercent(0.123456), '12.35%');
    assert.equal(formatPercent(-0.5, 1), '-50.0%');
    assert.equal(formatPercent(null), 'n/a');
    assert.equal(formatPercent(Number.POSITIVE_INFINITY), 'n/a');
    assert.equal(formatNumber(1.23456, 3), '1.235');
    assert.equal(formatNumber(undefined), 'n/a');
  });

  it('builds a table with escaped text, right-aligned numbers and cell classes', () => {
    const html = htmlTable(
      [{ name: 'a<b', value: 1.5 }, { name: 'c', value: -2 }],
      [
        { header: 'name', value: (row) => row.name },
        { header: 'value & more', value: (row) => row.value, format: (value) => value.toFixed(1), cellClass: (row) => (row.value < 0 ? 'loss' : undefined) },
      ],
    );
    assert.equal(
      html,
      '<table class="aq-table"><thead><tr><th>name</th><th>value &amp; more</th></tr></thead><tbody>\n'
        + '<tr><td>a&lt;b</td><td class="num">1.5</td></tr>\n'
        + '<tr><td>c</td><td class="num loss">-2.0</td></tr>\n'
        + '</tbody></table>',
    );
  });

  it('makes a table from plain objects, n/a for missing values, JSON for nested ones', () => {
    const html = objectsTable([{ a: 1, b: null, c: { d: 2 } }], { digits: 2 });
    assert.match(html, /<th>a<\/th><th>b<\/th><th>c<\/th>/);
    assert.match(html, /<td class="num">1<\/td><td>n\/a<\/td><td>\{&quot;d&quot;:2\}<\/td>/);
    assert.equal(objectsTable([]), '<p class="aq-empty">(no rows)</p>');
    assert.match(objectsTable([{ x: 0.123456 }], { digits: 2 }), /<td class="num">0.12<\/td>/);
  });
});
