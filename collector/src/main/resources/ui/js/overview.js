// The live overview (home page): polls /api/v1/overview every 5 s for the chosen range and
// redraws the numbers, the calls/registrations chart, the top failures and the newest alerts.

import { api, query, callPath } from './api.js';
import { navigate, showError, banner } from './app.js';
import { esc, num, pct, utc, local, statusChip } from './format.js';
import { lineChart, legend, paintSwatches } from './chart.js';

const RANGES = ['15m', '1h', '24h'];
export const POLL_MS = 5000;

function card(id, label, value) {
  return `<div class="card" id="${id}"><div class="k">${esc(label)}</div><div class="v">${esc(value)}</div></div>`;
}

function cards(o) {
  return [
    card('ov-in-progress', 'Calls in progress', o.calls_in_progress ?? '–'),
    card('ov-calls', 'Calls started', o.calls ?? '–'),
    card('ov-cps', 'Calls / s', num(o.calls_per_second, 2) || '0'),
    card('ov-regs', 'Registrations', o.registrations ?? '–'),
    card('ov-rps', 'Registrations / s', num(o.registrations_per_second, 2) || '0'),
    card('ov-asr', 'ASR', pct(o.asr)),
    card('ov-ner', 'NER', pct(o.ner)),
    card('ov-mos-avg', 'MOS average', num(o.mos_avg, 2) || '–'),
    card('ov-mos-worst', 'MOS worst', num(o.mos_worst, 2) || '–'),
  ].join('');
}

function topTable(id, rows, keyName, keyOf, link) {
  if (!rows || rows.length === 0) return `<p class="muted" id="${id}">none</p>`;
  return `<table class="data" id="${id}"><thead><tr><th>${esc(keyName)}</th><th class="num">count</th></tr></thead><tbody>${
    rows.map(r => `<tr><td>${link(r)}</td><td class="num">${esc(r.count)}</td></tr>`).join('')}</tbody></table>`;
}

function alerts(list) {
  if (!list || list.length === 0) return '<p class="muted" id="ov-alerts">no alerts</p>';
  return `<table class="data" id="ov-alerts"><thead><tr><th>time (UTC)</th><th>rule</th><th>severity</th><th>summary</th><th>call</th></tr></thead><tbody>${
    list.map(a => `<tr><td>${esc(utc(a.time))}</td><td>${esc(a.rule)}</td><td>${statusChip(a.severity)}</td><td>${esc(a.summary)}</td><td>${
      a.call_id ? `<a href="/calls/${callPath(a.call_id)}" data-link>${esc(a.call_id)}</a>` : ''}</td></tr>`).join('')}</tbody></table>`;
}

function chart(series) {
  const s = [
    { name: 'calls', color: '#1f6feb', points: (series || []).map(p => [Date.parse(p.time), p.calls]) },
    { name: 'registrations', color: '#1a7f37', points: (series || []).map(p => [Date.parse(p.time), p.registrations]) },
  ];
  const hhmm = x => new Date(x).toISOString().slice(11, 16);
  return legend(s) + lineChart(s, { width: 720, height: 200, xLabel: hhmm, yLabel: y => num(y, 0), title: 'calls and registrations', integer: true });
}

export function render(root, { params }) {
  const range = RANGES.includes(params.get('range')) ? params.get('range') : '15m';
  root.innerHTML = `
    <div class="row"><h1 class="grow">Live overview</h1>
      <div class="seg" id="ov-range">${RANGES.map(r => `<button type="button" data-range="${r}" class="${r === range ? 'on' : ''}">${r}</button>`).join('')}</div>
    </div>
    <p class="times" id="ov-updated">…</p>
    <div class="cards" id="ov-cards"></div>
    <div class="ovgrid">
      <div class="panel"><h2>Calls and registrations per interval</h2><div id="ov-chart"></div></div>
      <div class="grid2">
        <div class="panel"><h2>Top failing destinations</h2><div id="ov-dest-wrap"></div></div>
        <div class="panel"><h2>Top failure codes</h2><div id="ov-codes-wrap"></div></div>
      </div>
      <div class="panel wide"><h2>Newest fraud alerts</h2><div id="ov-alerts-wrap"></div></div>
    </div>`;
  root.querySelector('#ov-range').addEventListener('click', e => {
    const b = e.target.closest('button[data-range]');
    if (b) navigate('/?range=' + b.dataset.range, { replace: true });
  });

  const ctl = new AbortController();
  let timer = null;
  let polls = 0;
  const tick = async () => {
    try {
      const o = await api('/api/v1/overview' + query({ range }), { signal: ctl.signal });
      polls++;
      banner('');
      root.querySelector('#ov-cards').innerHTML = cards(o);
      const chartEl = root.querySelector('#ov-chart');
      chartEl.innerHTML = chart(o.series);
      paintSwatches(chartEl);
      root.querySelector('#ov-alerts-wrap').innerHTML = alerts(o.alerts);
      const searchFrom = `from=now-${range}&to=now`;
      root.querySelector('#ov-dest-wrap').innerHTML = topTable('ov-dest', o.top_failing_destinations, 'destination', r => r.key,
        r => `<a href="/search?tier=calls&${searchFrom}&callee=${encodeURIComponent(r.key)}" data-link>${esc(r.key)}</a>`);
      root.querySelector('#ov-codes-wrap').innerHTML = topTable('ov-codes', o.top_codes, 'code', r => r.code,
        r => `<a href="/search?tier=calls&${searchFrom}&code=${encodeURIComponent(r.code)}" data-link>${esc(r.code)}</a>`);
      const upd = root.querySelector('#ov-updated');
      upd.textContent = `${utc(o.from)} – ${utc(o.to)} · your time ${local(o.to)} · updated every ${POLL_MS / 1000} s`;
      upd.dataset.polls = String(polls);
    } catch (e) {
      if (ctl.signal.aborted) return;
      showError('The overview', e);
    }
    if (!ctl.signal.aborted) timer = setTimeout(tick, POLL_MS);
  };
  tick();
  return () => { ctl.abort(); clearTimeout(timer); };
}
