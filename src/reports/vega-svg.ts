/**
 * Vega-Lite to SVG with vega's headless renderer (no canvas, no browser). The only module that
 * imports vega: chart-rendering.ts loads it on the first render, so importing the package (or
 * building specs) never pays for loading vega and vega-lite.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './chart-specs';

/** A vega logger at warning level whose warnings and errors go to `warn` instead of the console. */
function warningLogger(warn: (message: string) => void) {
  return vega.logger(vega.Warn, undefined, (_method, _level, input) => warn(Array.from(input, String).join(' ')));
}

/** The SVG of a spec as vega writes it (ids not yet namespaced); errors name the chart by `label`. */
export async function vegaLiteToSvg(spec: ChartSpec, label: string, warn: (message: string) => void): Promise<string> {
  let compiled;
  try {
    compiled = vegaLite.compile(spec as unknown as TopLevelSpec, { logger: warningLogger(warn) }).spec;
  } catch (error) {
    throw new Error(`chart "${label}": invalid Vega-Lite spec: ${(error as Error).message}`, { cause: error });
  }
  let view: vega.View | undefined;
  try {
    view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: warningLogger(warn) });
    return await view.toSVG();
  } catch (error) {
    throw new Error(`chart "${label}": cannot render: ${(error as Error).message}`, { cause: error });
  } finally {
    view?.finalize();
  }
}
