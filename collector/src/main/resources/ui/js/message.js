// The detail of one message: the raw text (monospace, start line and header names highlighted,
// the body and its SDP apart), the parsed fields, the HEP fields and the enrichment.

import { esc, utcMicros } from './format.js';

/** The raw SIP text as highlighted HTML: start line, headers (name/value), then the body apart. */
export function rawSip(raw) {
  const text = String(raw || '');
  const cut = text.search(/\r?\n\r?\n/);
  const head = cut >= 0 ? text.slice(0, cut) : text;
  const body = cut >= 0 ? text.slice(cut).replace(/^\r?\n\r?\n/, '') : '';
  const lines = head.split(/\r?\n/);
  const html = lines.map((l, i) => {
    if (i === 0) return `<span class="start">${esc(l)}</span>`;
    const c = l.indexOf(':');
    return c > 0 ? `<span class="hn">${esc(l.slice(0, c))}</span>:<span class="hv">${esc(l.slice(c + 1))}</span>` : esc(l);
  }).join('\n');
  return { head: html, body };
}

/** Nested JSON as a definition list of dotted keys (leaf values only). */
export function kv(obj, id) {
  const out = [];
  const walk = (v, path) => {
    if (v === null || v === undefined || v === '') return;
    if (Array.isArray(v)) {
      if (v.every(x => x === null || typeof x !== 'object')) out.push([path, v.join(', ')]);
      else v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    } else {
      out.push([path, String(v)]);
    }
  };
  walk(obj, '');
  if (out.length === 0) return `<p class="muted"${id ? ` id="${id}"` : ''}>none</p>`;
  return `<dl class="kv"${id ? ` id="${id}"` : ''}>${out.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

/** The whole detail panel of message `m` (GET /api/v1/messages/{index}/{id}). */
export function messageDetail(m) {
  const { head, body } = rawSip(m.raw);
  const hep = m.hep || {};
  return `
    <h2>Message <span class="muted mono">${esc(utcMicros(m.time))}</span></h2>
    <h3>Raw</h3>
    <pre class="raw" id="detail-raw">${head}</pre>
    ${body || m.body ? `<h3>Body${/^v=0/m.test(body || m.body) ? ' (SDP)' : ''}</h3><pre class="raw" id="detail-body">${esc(body || m.body)}</pre>` : ''}
    <h3>Parsed</h3>${kv(m.parsed, 'detail-parsed')}
    <h3>HEP</h3>${kv({ capture_id: hep.capture_id, node: hep.node, transport: hep.transport, received_over: hep.received_over, proto_type: hep.proto_type,
      src: hep.src, dst: hep.dst, time: hep.time, correlation_id: hep.correlation_id }, 'detail-hep')}
    <h3>Enrichment</h3>${kv(m.enrichment, 'detail-enrichment')}`;
}
