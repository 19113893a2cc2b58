// The SIP ladder as one SVG string: a column per host, a row per message in capture order with
// its microsecond time and the delta to the previous one, arrows coloured by method / status
// class, legs marked in their Call-ID's colour, self-loops, dotted RTCP/QoS/log rows. Built as a
// single string and inserted once, so thousands of rows draw in one layout pass.

import { esc, clockMicros, delta, num } from './format.js';
import { PALETTE } from './chart.js';

export const LEG_COLORS = PALETTE;

const CLASS_COLORS = {
  request: '#0550ae', '1xx': '#6e7781', '2xx': '#1a7f37', '3xx': '#8250df', '4xx': '#bc4c00', '5xx': '#cf222e', '6xx': '#a40e26',
};
const METHOD_COLORS = { INVITE: '#0550ae', ACK: '#0a7b83', BYE: '#8250df', CANCEL: '#bc4c00', REGISTER: '#57606a', OPTIONS: '#6e7781' };

/** The colour of a row's arrow: responses by status class, requests by method. */
export function rowColor(r) {
  if (r.kind !== 'sip') return '#8c959f';
  if (r.status_class && r.status_class !== 'request') return CLASS_COLORS[r.status_class] || '#24292f';
  return METHOD_COLORS[r.method] || CLASS_COLORS.request;
}

/**
 * The rows drawn: every message once — a retransmission is a packet of its own and is drawn,
 * marked; the copies other capture points saw of the same packet only when asked.
 */
export function visibleRows(rows, showCopies) {
  return showCopies ? rows : rows.filter(r => !r.copy_of);
}

const G = { gutter: 196, col: 172, top: 58, sip: 30, dotted: 22, right: 40 };

/** The text drawn on a dotted RTCP/QoS/log row. */
function mediaLabel(r) {
  const label = r.label || r.kind.toUpperCase();
  const parts = [label];
  const has = word => label.toLowerCase().includes(word);
  const set = v => v !== undefined && v !== null;
  if (set(r.mos) && !has('mos')) parts.push(`MOS ${num(r.mos, 2)}`);
  if (set(r.jitter_ms) && !has('jitter')) parts.push(`jitter ${num(r.jitter_ms, 1)} ms`);
  if (set(r.loss_pct) && !has('loss')) parts.push(`loss ${num(r.loss_pct, 2)} %`);
  return parts.join(' · ');
}

/** About how wide a label is drawn (monospace 11 px), to size the SVG so nothing is cut. */
const textWidth = text => text.length * 6.7;

function arrowHead(x, y, dir, color) {
  const b = x - dir * 8;
  return `<path d="M${x},${y}L${b},${y - 4}L${b},${y + 4}Z" fill="${color}"/>`;
}

/**
 * The ladder SVG markup for `ladder` ({columns, rows}) and the legs, with the row `selected`
 * highlighted. Returns {svg, count} (count: rows drawn).
 */
export function ladderSvg(ladder, { showCopies = false, selected = null } = {}) {
  const cols = ladder.columns || [];
  const rows = visibleRows(ladder.rows || [], showCopies);
  const colX = new Map(cols.map((c, i) => [c.id, G.gutter + G.col / 2 + i * G.col]));
  let width = G.gutter + Math.max(1, cols.length) * G.col + G.right;
  let textRight = width; // labels right of a column (logs, reports, self-loops) may reach further
  let y = G.top;
  const body = [];
  for (const r of rows) {
    const h = r.kind === 'sip' ? G.sip : G.dotted;
    const mid = y + h - 8;
    const x1 = colX.get(r.from) ?? G.gutter + G.col / 2;
    const x2 = colX.get(r.to) ?? x1;
    const color = rowColor(r);
    const leg = LEG_COLORS[(r.leg || 0) % LEG_COLORS.length];
    const dup = r.retransmission || r.copy_of;
    const cls = `row kind-${esc(r.kind)}${dup ? ' retx' : ''}${r.id === selected ? ' sel' : ''}`;
    let g = `<g class="${cls}" data-id="${esc(r.id)}" data-index="${esc(r.index)}" data-leg="${esc(r.leg ?? 0)}">`;
    g += `<rect class="hit" x="0" y="${y}" width="100%" height="${h}"/>`;
    g += `<rect x="2" y="${y + 3}" width="4" height="${h - 6}" fill="${leg}"/>`;
    g += `<text class="time" x="10" y="${mid - 2}">${esc(clockMicros(r.time))}</text>`;
    g += `<text class="delta" x="110" y="${mid - 2}">${esc(delta(r.delta_us))}</text>`;
    const dash = r.kind === 'sip' ? (dup ? ' stroke-dasharray="6,4"' : '') : ' stroke-dasharray="2,3"';
    let label = r.kind === 'sip' ? (r.label || r.method || r.code || '') : mediaLabel(r);
    if (r.retransmission) label += ' (retransmission)';
    else if (r.copy_of) label += ' (copy)';
    if (r.kind === 'log' || (x1 === x2 && !r.self_loop && r.kind !== 'sip')) {
      // a log line is said by its host: a dotted tick on its column
      g += `<line x1="${x1}" y1="${mid}" x2="${x1 + 30}" y2="${mid}" stroke="${color}" stroke-width="1.2" stroke-dasharray="2,3"/>`;
      g += `<circle cx="${x1}" cy="${mid}" r="3" fill="${leg}"/>`;
      g += `<text class="lbl" x="${x1 + 36}" y="${mid + 3}" fill="${color}">${esc(label)}</text>`;
      textRight = Math.max(textRight, x1 + 36 + textWidth(label) + 16);
    } else if (r.self_loop || x1 === x2) {
      const xr = x1 + 36;
      g += `<path d="M${x1},${mid - 10}H${xr}V${mid}H${x1 + 8}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`;
      g += arrowHead(x1, mid, -1, color);
      g += `<text class="lbl" x="${xr + 6}" y="${mid - 2}" fill="${color}">${esc(label)}</text>`;
      textRight = Math.max(textRight, xr + 6 + textWidth(label) + 16);
    } else {
      const dir = x2 > x1 ? 1 : -1;
      g += `<line x1="${x1}" y1="${mid}" x2="${x2 - dir * 2}" y2="${mid}" stroke="${color}" stroke-width="${r.kind === 'sip' ? 1.5 : 1.2}"${dash}/>`;
      g += arrowHead(x2, mid, dir, color);
      g += `<circle cx="${x1}" cy="${mid}" r="3" fill="${leg}"/>`;
      g += `<text class="lbl" x="${(x1 + x2) / 2}" y="${mid - 4}" text-anchor="middle" fill="${color}">${esc(label)}</text>`;
      textRight = Math.max(textRight, (x1 + x2) / 2 + textWidth(label) / 2 + 16);
    }
    g += '</g>';
    body.push(g);
    y += h;
  }
  const height = y + 16;
  width = Math.ceil(textRight);
  const head = cols.map((c, i) => {
    const x = G.gutter + G.col / 2 + i * G.col;
    const sub = [c.ip && c.port ? `${c.ip}:${c.port}` : c.ip, c.node].filter(Boolean).join(' · ');
    return `<g class="col" data-col="${esc(c.id)}"><text class="hostlabel" x="${x}" y="20" text-anchor="middle">${esc(c.label || c.ip || c.id)}</text>`
      + `<text class="hostsub" x="${x}" y="36" text-anchor="middle">${esc(sub === c.label ? '' : sub)}</text>`
      + `<line x1="${x}" y1="${G.top - 12}" x2="${x}" y2="${height - 8}" stroke="#d0d7de" stroke-width="1"/></g>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="ladder" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<text class="hostsub" x="10" y="36">time (UTC)</text><text class="hostsub" x="110" y="36">delta</text>`
    + head + body.join('') + '</svg>';
  return { svg, count: rows.length };
}
