// The call view at /calls/{Call-ID}: the ladder of every leg with the message detail beside it,
// and tabs for the summary, the QoS charts and the correlated logs. Tab, grouping, the shown
// duplicates and the selected message are in the URL, so the link opens the same view.

import { api, query, callPath } from './api.js';
import { navigate, showError } from './app.js';
import { esc, utc, utcMicros, local, ms, num, money, flag, statusChip } from './format.js';
import { ladderSvg, LEG_COLORS } from './ladder.js';
import { messageDetail, kv } from './message.js';
import { lineChart, paintSwatches, PALETTE } from './chart.js';

const TABS = ['ladder', 'summary', 'qos', 'logs'];

const REASONS = {
  self: 'the searched call', 'x-cid': 'X-CID header', 'correlation-id': 'HEP correlation id',
  'session-id': 'Session-ID header (RFC 7989)', header: 'a correlation header', linked: 'correlation',
};

function legend(legs) {
  return `<div class="legs" id="legs">${(legs || []).map(l => {
    const why = REASONS[l.reason] || l.reason || '';
    return `<div class="leg" data-leg="${esc(l.leg)}" data-reason="${esc(l.reason)}"><span class="sw" data-color="${LEG_COLORS[(l.leg || 0) % LEG_COLORS.length]}"></span>`
      + `leg ${esc(l.leg)}: <span class="mono">${esc(l.call_id)}</span> — ${l.reason === 'self' ? esc(why) : `linked by ${esc(why)}`}${l.detail && !why.toLowerCase().startsWith(String(l.detail).toLowerCase()) ? ` <span class="muted">(${esc(l.detail)})</span>` : ''}</div>`;
  }).join('')}</div>`;
}

function party(p) {
  if (!p) return '–';
  if (typeof p !== 'object') return esc(p);
  const e164 = p.e164 && typeof p.e164 === 'object' ? p.e164 : {};
  const cc = (p.geo && p.geo.country_iso_code) || e164.region_code;
  const who = e164.e164 || p.user || p.ip || '';
  return `<p class="party">${cc ? flag(cc) + ' ' : ''}<strong>${esc(who)}</strong>${p.display && p.display !== who ? ` “${esc(p.display)}”` : ''}</p>${kv(p)}`;
}

function summary(view) {
  const s = view.summary || {};
  const alerts = s.alerts || [];
  return `<div class="grid2">
    <div class="panel"><h2>Status</h2><p id="summary-status">${statusChip(s.status, s.final_code)} ${esc(s.final_reason || '')}</p>
      <dl class="kv" id="summary-times"><dt>start</dt><dd>${esc(utc(s.start))} <span class="muted">(${esc(local(s.start))})</span></dd>
      <dt>answer</dt><dd>${esc(utc(s.answer))}</dd><dt>end</dt><dd>${esc(utc(s.end))}</dd>
      <dt>PDD</dt><dd>${esc(ms(s.pdd_ms))}</dd><dt>ring</dt><dd>${esc(ms(s.ring_ms))}</dd><dt>duration</dt><dd>${esc(ms(s.duration_ms))}</dd></dl></div>
    <div class="panel"><h2>Caller</h2>${party(s.caller)}<h2>Callee</h2>${party(s.callee)}</div>
    <div class="panel"><h2>User agents and codecs</h2><p>${(s.user_agents || []).map(esc).join('<br>') || '–'}</p><p>${(s.codecs || []).map(esc).join(', ') || '–'}</p></div>
    <div class="panel"><h2>Cost</h2><dl class="kv"><dt>cost</dt><dd id="summary-cost">${esc(money(s.cost, s.currency)) || '–'}</dd>
      <dt>rate</dt><dd>${s.rate === undefined || s.rate === null ? '–' : esc(typeof s.rate === 'object' ? JSON.stringify(s.rate) : s.rate)}</dd></dl>
      <h2>Blacklist hits</h2>${(s.blacklist || []).length ? kv(s.blacklist) : '<p class="muted">none</p>'}</div>
    <div class="panel"><h2>Fraud alerts</h2>${alerts.length ? `<table class="data"><tbody>${alerts.map(a => `<tr><td>${esc(utc(a.time))}</td><td>${esc(a.rule)}</td><td>${esc(a.severity)}</td><td>${esc(a.summary)}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">none</p>'}</div>
  </div>`;
}

const METRICS = [['mos', 'MOS', 1, 5], ['jitter_ms', 'Jitter (ms)', 0], ['loss_pct', 'Loss (%)', 0], ['rtt_ms', 'RTT (ms)', 0]];

function qos(view) {
  const q = view.qos || {};
  if (q.none || !q.legs || q.legs.length === 0) return '<p class="panel" id="qos-none">No media reports for this call.</p>';
  const names = q.legs.map(l => `leg ${l.leg}${l.direction ? ' ' + l.direction : ''}`);
  const stats = `<table class="data" id="qos-table"><thead><tr><th>leg</th>${METRICS.map(m => `<th class="num">${m[1]} avg</th><th class="num">worst</th>`).join('')}</tr></thead><tbody>${
    q.legs.map((l, i) => `<tr><td>${esc(names[i])}</td>${METRICS.map(m => `<td class="num" data-metric="avg-${m[0]}">${esc(num((l.avg || {})[m[0]], 2))}</td><td class="num" data-metric="worst-${m[0]}">${esc(num((l.worst || {})[m[0]], 2))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const hhmmss = x => new Date(x).toISOString().slice(11, 19);
  const charts = METRICS.map(([key, title, yMin, yMax]) => {
    const series = q.legs.map((l, i) => ({ name: names[i], color: PALETTE[i % PALETTE.length], points: (l.points || []).map(p => [Date.parse(p.time), p[key] ?? null]) }));
    return `<div class="panel"><h2>${esc(title)}</h2>${lineChart(series, { width: 460, height: 150, yMin, yMax, xLabel: hhmmss, yLabel: y => num(y, 2), title })}</div>`;
  }).join('');
  return `<div class="panel">${stats}</div><div class="legend">${names.map((n, i) => `<span><span class="sw" data-color="${PALETTE[i % PALETTE.length]}"></span>${esc(n)}</span>`).join('')}</div><div class="grid2">${charts}</div>`;
}

function logs(view) {
  const l = view.logs || [];
  if (l.length === 0) return '<p class="muted panel" id="logs-none">No log events for this call.</p>';
  return `<div class="tablewrap"><table class="data logs" id="logs-table"><thead><tr><th>time (UTC)</th><th>level</th><th>host</th><th>message</th></tr></thead><tbody>${
    l.map(x => `<tr><td class="mono">${esc(utcMicros(x.time))}</td><td class="lvl-${esc(String(x.level || '').toLowerCase())}">${esc(x.level)}</td><td>${esc(x.host)}</td><td class="msg">${esc(x.message)}</td></tr>`).join('')}</tbody></table></div>`;
}

export function render(root, { params, match }) {
  const callId = decodeURIComponent(match[1]);
  const tab = TABS.includes(params.get('tab')) ? params.get('tab') : 'ladder';
  const group = params.get('group') === 'node' ? 'node' : 'ip';
  const copies = params.get('copies') === '1';
  const selected = params.get('msg') || null;
  const self = (changes, replace = true) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) { if (v === null || v === '' || v === false) p.delete(k); else p.set(k, v); }
    const q = p.toString();
    navigate(`/calls/${callPath(callId)}${q ? '?' + q : ''}`, { replace });
  };
  const base = `/api/v1/calls/${callPath(callId)}`;
  root.innerHTML = `
    <div class="row"><h1 class="grow">Call <span class="mono" id="call-id">${esc(callId)}</span></h1>
      <div class="toolbar" id="exports">
        <a class="btn" id="export-pcap" href="${base}/export.pcap" download>PCAP</a>
        <a class="btn" id="export-txt" href="${base}/export.txt" download>Text</a>
        <a class="btn" id="export-svg" href="${base}/ladder.svg${query({ group })}" download>SVG</a>
        <a class="btn" id="export-png" href="${base}/ladder.png${query({ group })}" download>PNG</a>
      </div></div>
    <nav class="tabs" id="tabs">${TABS.map(t => `<a href="#" data-tab="${t}" class="${t === tab ? 'on' : ''}">${t === 'qos' ? 'QoS' : t[0].toUpperCase() + t.slice(1)}</a>`).join('')}</nav>
    <div id="call-body"><p class="muted">Loading the call…</p></div>`;
  root.querySelector('#tabs').addEventListener('click', e => {
    const a = e.target.closest('a[data-tab]');
    if (!a) return;
    e.preventDefault();
    self({ tab: a.dataset.tab === 'ladder' ? null : a.dataset.tab });
  });

  const ctl = new AbortController();
  const bodyEl = root.querySelector('#call-body');
  api(`${base}/view${query({ group })}`, { signal: ctl.signal }).then(view => {
    if (tab === 'summary') bodyEl.innerHTML = summary(view);
    else if (tab === 'qos') bodyEl.innerHTML = qos(view);
    else if (tab === 'logs') bodyEl.innerHTML = logs(view);
    else drawLadder(bodyEl, view);
    paintSwatches(bodyEl);
  }, e => {
    if (ctl.signal.aborted) return;
    bodyEl.innerHTML = `<div class="error" id="call-error" role="alert">${e.status === 404 ? 'No such call (or not visible to you).' : esc(e.message)}</div>`;
    showError('Loading the call', e);
  });

  function drawLadder(el, view) {
    const rows = view.ladder && view.ladder.rows || [];
    const copyCount = rows.filter(r => r.copy_of).length;
    const retxCount = rows.filter(r => r.retransmission && !r.copy_of).length;
    el.innerHTML = `
      <div class="toolbar">
        <label class="inline">Group by <select id="group"><option value="ip" ${group === 'ip' ? 'selected' : ''}>IP:port</option><option value="node" ${group === 'node' ? 'selected' : ''}>node</option></select></label>
        <label class="inline"><span><input type="checkbox" id="copies" ${copies ? 'checked' : ''}> show the copies other capture points saw (${copyCount})</span></label>
        <span class="muted" id="retx-count">${retxCount} retransmission(s), drawn dashed</span>
        <span class="muted" id="ladder-count"></span>${view.truncated ? '<span class="status st-warn">truncated: the call has more messages than shown</span>' : ''}
      </div>
      ${legend(view.legs)}
      <div class="callgrid ${selected ? '' : 'nodetail'}" id="callgrid"><div class="ladderwrap" id="ladder"></div><div class="detail" id="detail" ${selected ? '' : 'hidden'}></div></div>`;
    const t0 = performance.now();
    const { svg, count } = ladderSvg(view.ladder || {}, { showCopies: copies, selected });
    const ladderEl = el.querySelector('#ladder');
    ladderEl.innerHTML = svg;
    const drawMs = performance.now() - t0;
    ladderEl.dataset.drawMs = drawMs.toFixed(1); // measured by the browser test (bench/results/ui-ladder.txt)
    ladderEl.dataset.shownAtMs = performance.now().toFixed(1); // since the page's navigation started
    el.querySelector('#ladder-count').textContent = `${count} of ${rows.length} messages · ${view.call_ids ? view.call_ids.length : 1} Call-ID(s)`;
    el.querySelector('#group').addEventListener('change', e => self({ group: e.target.value === 'node' ? 'node' : null }));
    el.querySelector('#copies').addEventListener('change', e => self({ copies: e.target.checked ? '1' : null }));
    ladderEl.addEventListener('click', e => {
      const g = e.target.closest('g.row');
      if (!g) return;
      ladderEl.querySelectorAll('g.row.sel').forEach(x => x.classList.remove('sel'));
      g.classList.add('sel');
      history.replaceState(null, '', withParam('msg', g.dataset.id));
      showDetail(el, rows.find(r => r.id === g.dataset.id));
    });
    if (selected) showDetail(el, rows.find(r => r.id === selected));
  }

  async function showDetail(el, row) {
    const panel = el.querySelector('#detail');
    el.querySelector('#callgrid').classList.remove('nodetail');
    panel.hidden = false;
    if (!row) { panel.innerHTML = '<p class="muted">That message is not in this call.</p>'; return; }
    panel.innerHTML = '<p class="muted">Loading the message…</p>';
    try {
      const m = await api(`/api/v1/messages/${encodeURIComponent(row.index)}/${encodeURIComponent(row.id)}`, { signal: ctl.signal });
      panel.innerHTML = messageDetail(m);
    } catch (e) {
      if (!ctl.signal.aborted) panel.innerHTML = `<div class="error" role="alert">The message could not be loaded: ${esc(e.message)}</div>`;
    }
  }

  return () => ctl.abort();
}

function withParam(k, v) {
  const p = new URLSearchParams(location.search);
  p.set(k, v);
  return location.pathname + '?' + p.toString();
}

