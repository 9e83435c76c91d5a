/**
 * Rendering of chart specs to inline SVG, in Node at generation time, so a report or an
 * exported notebook carries finished SVG and needs no script and no network to show it.
 */
import { createHash } from 'node:crypto';
import type { ChartSpec } from './chart-specs';
import { html, rawHtml } from './html-template';
import type * as VegaSvg from './vega-svg';

let vegaSvg: typeof VegaSvg | undefined;

/** vega and vega-lite are loaded on the first render: `require('aq-research')` alone should not pay for them. */
function loadVegaSvg(): typeof VegaSvg {
  vegaSvg ??= require('./vega-svg') as typeof VegaSvg;
  return vegaSvg;
}

/** Ids are made unique per chart so several SVGs in one page never resolve each other's clip paths. */
function namespaceIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!renamed.has(match[1])) renamed.set(match[1], `${prefix}-${renamed.size + 1}`);
  }
  if (renamed.size === 0) return svg;
  const rename = (id: string) => renamed.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, open: string, id: string, close: string) => `${open}${rename(id)}${close}`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_, open: string, id: string, close: string) => `${open}#${rename(id)}${close}`);
}

export interface RenderOptions {
  /** Prefix of the SVG's element ids (default: from a hash of the spec). */
  readonly idPrefix?: string;
  /** Receives Vega and Vega-Lite warnings (default: console.warn naming the chart). */
  readonly onWarning?: (message: string) => void;
}

function specHash(spec: ChartSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 10);
}

/**
 * Renders a Vega-Lite spec to an SVG string. Deterministic: the same spec gives the same
 * bytes (element ids are derived from the spec, not from vega's process-wide counters).
 */
export async function renderChartSvg(spec: ChartSpec, options: RenderOptions = {}): Promise<string> {
  const name = options.idPrefix ?? `chart-${specHash(spec)}`;
  const label = typeof spec.title === 'string' ? spec.title : name;
  const warn = options.onWarning ?? ((message: string) => console.warn(`chart "${label}": ${message}`));
  return namespaceIds(await loadVegaSvg().vegaLiteToSvg(spec, label, warn), name);
}

export interface FigureOptions {
  /** Stable id of the figure (`chart-<id>`), also used to namespace the SVG's own ids. */
  readonly id?: string;
  readonly caption?: string;
  readonly onWarning?: (message: string) => void;
}

/** `<figure class="aq-chart">` holding the rendered SVG: what notebooks display and reports embed. */
export async function chartHtml(spec: ChartSpec, options: FigureOptions = {}): Promise<string> {
  const id = options.id ?? specHash(spec);
  const svg = await renderChartSvg(spec, { idPrefix: `chart-${id}`, onWarning: options.onWarning });
  const caption = options.caption === undefined ? '' : html`<figcaption>${options.caption}</figcaption>`;
  return html`<figure class="aq-chart" id="chart-${id}">\n${rawHtml(svg)}\n${caption}</figure>`.toString();
}
