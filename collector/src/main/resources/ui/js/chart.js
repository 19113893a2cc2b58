// Small SVG line charts (overview series, QoS per leg), built as one markup string.

import { esc } from './format.js';

export const PALETTE = ['#1f6feb', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0a7b83', '#a40e26', '#6e7781'];

/**
 * A line chart. `series`: [{name, color, points: [[xNumber, yNumber|null], ...]}]; x is usually
 * epoch ms. Options: width, height, yMin, yMax, xLabel(x) and yLabel(y) for the tick texts, integer
 * (counts: whole-number ticks).
 */
export function lineChart(series, { width = 480, height = 160, yMin, yMax, xLabel = String, yLabel = String, title = '', integer = false } = {}) {
  const pad = { l: 40, r: 8, t: 8, b: 20 };
  const all = series.flatMap(s => s.points.filter(p => p[1] !== null && p[1] !== undefined && !Number.isNaN(p[1])));
  if (all.length === 0) {
    return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}"><text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`;
  }
  let x0 = Math.min(...all.map(p => p[0])), x1 = Math.max(...all.map(p => p[0]));
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  let y0 = yMin ?? Math.min(0, ...all.map(p => p[1]));
  let y1 = yMax ?? Math.max(...all.map(p => p[1]));
  if (y1 === y0) y1 = y0 + 1;
  // round the axis out to a "nice" step (1, 2, 2.5 or 5 × 10^k) so the tick labels read 0, 2, 4, 6, 8
  const step = integer ? Math.max(1, niceStep((y1 - y0) / 4)) : niceStep((y1 - y0) / 4);
  if (yMin === undefined) y0 = Math.floor(y0 / step) * step;
  if (yMax === undefined) y1 = Math.ceil(y1 / step) * step;
  const ticks = [];
  for (let v = y0; v <= y1 + step / 1e6; v += step) ticks.push(v);
  const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
  const X = x => pad.l + ((x - x0) / (x1 - x0)) * w;
  const Y = y => pad.t + h - ((y - y0) / (y1 - y0)) * h;
  let out = `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">`;
  for (const yv of ticks.length <= 11 ? ticks : [y0, y1]) {
    out += `<line class="axis" x1="${pad.l}" x2="${width - pad.r}" y1="${Y(yv).toFixed(1)}" y2="${Y(yv).toFixed(1)}"/>`;
    out += `<text x="${pad.l - 4}" y="${(Y(yv) + 3).toFixed(1)}" text-anchor="end">${esc(yLabel(yv))}</text>`;
  }
  out += `<text x="${pad.l}" y="${height - 4}">${esc(xLabel(x0))}</text>`;
  out += `<text x="${width - pad.r}" y="${height - 4}" text-anchor="end">${esc(xLabel(x1))}</text>`;
  series.forEach((s, i) => {
    const color = s.color || PALETTE[i % PALETTE.length];
    const pts = s.points.filter(p => p[1] !== null && p[1] !== undefined && !Number.isNaN(p[1]));
    if (pts.length === 0) return;
    const d = pts.map((p, j) => `${j ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('');
    out += `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"><title>${esc(s.name)}</title></path>`;
    for (const p of pts.length <= 60 ? pts : []) {
      out += `<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="2.5" fill="${color}"><title>${esc(s.name)}: ${esc(yLabel(p[1]))}</title></circle>`;
    }
  });
  return out + '</svg>';
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw` (a tick step). */
export function niceStep(raw) {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= raw - 1e-12) return m * p;
  }
  return 10 * p;
}

/** A legend for `series` (HTML). */
export function legend(series) {
  return `<div class="legend">${series.map((s, i) => `<span><span class="sw" data-color="${esc(s.color || PALETTE[i % PALETTE.length])}"></span>${esc(s.name)}</span>`).join('')}</div>`;
}

/** Colours the legend swatches (through the CSSOM: the CSP forbids style attributes). */
export function paintSwatches(root) {
  root.querySelectorAll('.sw[data-color]').forEach(el => { el.style.background = el.dataset.color; });
}
