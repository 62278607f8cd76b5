/**
 * Renders the Vega-Lite specifications of `rnn-lyap/plot` in Node: vega-lite compiles the spec to
 * Vega, vega renders it headless to SVG, and @resvg/resvg-js rasterizes the SVG to PNG where wanted
 * (with the DejaVu Sans font file loaded explicitly, so text renders on machines without a font
 * configuration). All three are devDependencies: the library itself only builds the JSON.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { VegaLiteSpec } from '../../src/plot/index.js';

const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
];

/** The Vega-Lite spec as an SVG string (fonts set to DejaVu Sans so SVG and PNG match). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const withFont = { ...spec, config: { font: 'DejaVu Sans', ...(spec.config as object | undefined) } };
  const compiled = vegaLite.compile(withFont as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterizes an SVG string to PNG bytes at `scale` × its size. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Writes DIR/NAME.svg (and DIR/NAME.png with `png`); returns the paths written. */
export async function saveFigure(dir: string, name: string, spec: VegaLiteSpec, opts: { png?: boolean } = {}): Promise<string[]> {
  const svgPath = join(dir, `${name}.svg`);
  mkdirSync(dirname(svgPath), { recursive: true });
  const svg = await renderSvg(spec);
  writeFileSync(svgPath, svg);
  const paths = [svgPath];
  if (opts.png) {
    const pngPath = join(dir, `${name}.png`);
    writeFileSync(pngPath, svgToPng(svg));
    paths.push(pngPath);
  }
  return paths;
}
