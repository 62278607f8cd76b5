/**
 * Vega-Lite specification builders for the standard figures of RNN dynamics: Lyapunov spectra,
 * spectra across training, accuracy on modified sequences, embeddings coloured by a label,
 * trajectories in PCA space and fixed points by stability. Each returns plain JSON (no runtime
 * dependency): show it with vega-embed in a browser, with Altair (`alt.Chart.from_dict`) in
 * Jupyter, or render it to SVG in Node with vega-lite + vega.
 * @packageDocumentation
 */
export { VEGA_LITE_SCHEMA, type VegaLiteSpec, type PlotOptions } from './spec.js';
export * from './spectrum.js';
export * from './accuracy.js';
export * from './embedding.js';
export * from './trajectory.js';
