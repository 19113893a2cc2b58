// pcap import: the file is uploaded raw to POST /api/v1/imports (upload progress from XHR, which
// fetch cannot report), then the import is polled until it is done, and its summary shown.

import { headersFor, api, query } from './api.js';
import { showError } from './app.js';
import { esc } from './format.js';

const POLL_MS = 1000;

/** Uploads `file`; resolves the 202 answer ({id}); reports progress through `onProgress(loaded, total)`. */
function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/imports' + query({ name: file.name }));
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(headersFor('POST', { 'Content-Type': 'application/octet-stream' }))) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', e => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300 && data) resolve(data);
      else reject(new Error(data && data.error || `HTTP ${xhr.status}`));
    });
    xhr.addEventListener('error', () => reject(new Error('the upload failed (network)')));
    xhr.send(file);
  });
}

function summary(s) {
  const skipped = Object.entries(s.skipped || {});
  return `<dl class="kv" id="import-summary" data-state="${esc(s.state)}">
    <dt>file</dt><dd>${esc(s.name)}</dd><dt>state</dt><dd id="import-state">${esc(s.state)}</dd>
    <dt>packets</dt><dd id="import-packets">${esc(s.packets)}</dd><dt>messages</dt><dd id="import-messages">${esc(s.messages)}</dd>
    <dt>calls</dt><dd id="import-calls">${esc(s.calls)}</dd>
    <dt>skipped</dt><dd>${skipped.length ? skipped.map(([k, v]) => `${esc(k)}: ${esc(v)}`).join(', ') : 'nothing'}</dd>
    ${s.error ? `<dt>error</dt><dd class="error">${esc(s.error)}</dd>` : ''}</dl>
    ${s.state === 'done' ? '<p><a href="/search?tier=calls&from=now-30d&to=now" data-link>Search the calls</a> (widen the time range to the capture\'s dates)</p>' : ''}`;
}

export function render(root) {
  root.innerHTML = `
    <h1>Import a capture</h1>
    <div class="panel">
      <p>A <code>.pcap</code> or <code>.pcapng</code> file is processed as <code>replay</code> does: HEP packets as they are,
        raw SIP wrapped in HEP with its original addresses and times. The calls are searchable afterwards.</p>
      <form id="import-form" class="row">
        <label class="grow">Capture file <input type="file" id="import-file" name="file" accept=".pcap,.pcapng,.cap" required></label>
        <button type="submit" class="primary" id="import-go">Import</button>
      </form>
    </div>
    <div class="panel" id="import-status" hidden>
      <h2 id="import-phase">Uploading…</h2>
      <progress id="import-progress" max="1" value="0"></progress>
      <p class="muted" id="import-progress-text"></p>
      <div id="import-result"></div>
    </div>`;
  let timer = null;
  let stopped = false;
  const form = root.querySelector('#import-form');
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const file = root.querySelector('#import-file').files[0];
    if (!file) return;
    const bar = root.querySelector('#import-progress');
    const text = root.querySelector('#import-progress-text');
    const phase = root.querySelector('#import-phase');
    const result = root.querySelector('#import-result');
    root.querySelector('#import-status').hidden = false;
    root.querySelector('#import-go').disabled = true;
    result.innerHTML = '';
    phase.textContent = `Uploading ${file.name}…`;
    try {
      const { id } = await upload(file, (loaded, total) => {
        bar.max = total || 1;
        bar.value = loaded;
        text.textContent = `${loaded} of ${total} bytes uploaded`;
      });
      phase.textContent = 'Processing…';
      const poll = async () => {
        if (stopped) return;
        try {
          const s = await api(`/api/v1/imports/${encodeURIComponent(id)}`);
          bar.max = s.bytes_total || 1;
          bar.value = s.bytes_read || 0;
          text.textContent = `${s.bytes_read ?? 0} of ${s.bytes_total ?? '?'} bytes read · ${s.packets ?? 0} packets · ${s.messages ?? 0} messages`;
          result.innerHTML = summary(s);
          if (s.state === 'running') { timer = setTimeout(poll, POLL_MS); return; }
          phase.textContent = s.state === 'done' ? 'Imported' : 'The import failed';
          root.querySelector('#import-go').disabled = false;
        } catch (x) {
          showError('Polling the import', x);
          root.querySelector('#import-go').disabled = false;
        }
      };
      poll();
    } catch (x) {
      phase.textContent = 'The upload failed';
      result.innerHTML = `<div class="error" role="alert">${esc(x.message)}</div>`;
      root.querySelector('#import-go').disabled = false;
    }
  });
  return () => { stopped = true; clearTimeout(timer); };
}
