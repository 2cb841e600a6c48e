// Steadfast dashboard: plain script, no build step, no CDN. Every text that comes from the server is inserted with
// textContent (never innerHTML), so an error message such as <img src=x onerror=alert(1)> shows as text.
'use strict';

(() => {
  const mutations = document.body.dataset.mutations === 'true';
  const forgery = document.querySelector('meta[name="steadfast-antiforgery"]');
  const token = forgery ? forgery.getAttribute('content') : '';
  const tokenHeader = forgery ? forgery.dataset.header : '';
  const SPARK_POINTS = 60;
  const circuits = new Map();
  let refreshTimer = null;
  let attempts = 0;

  // --- small DOM helpers (text only) ---------------------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell === null || cell === undefined ? '' : String(cell);
      tr.appendChild(td);
    }
    return tr;
  }
  function fill(tbody, rows, emptyText, columns) {
    tbody.replaceChildren(...rows);
    if (rows.length === 0) {
      const td = el('td', 'empty', emptyText);
      td.colSpan = columns;
      const tr = document.createElement('tr');
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
  }
  const percent = (x) => (x * 100).toFixed(1) + '%';
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
  const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : 'until lifted');

  function showMessage(text) {
    const box = document.getElementById('message');
    box.textContent = text;
    box.hidden = !text;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(path + ': ' + response.status);
    return response.json();
  }

  async function send(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (tokenHeader) headers[tokenHeader] = token;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch (e) { /* not JSON */ }
      showMessage(method + ' ' + path + ' failed: ' + detail);
      return null;
    }
    showMessage('');
    return response.status === 204 ? {} : response.json();
  }

  // --- circuits ------------------------------------------------------------------------------------------
  function sparkline(history) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 ' + (SPARK_POINTS - 1) + ' 32');
    svg.setAttribute('preserveAspectRatio', 'none');
    const max = Math.max(1, ...history.map((h) => h.calls));
    for (const series of ['calls', 'failures']) {
      const line = document.createElementNS(ns, 'polyline');
      line.setAttribute('class', series);
      const offset = SPARK_POINTS - history.length;
      line.setAttribute('points', history.map((h, i) => (offset + i) + ',' + (31 - (h[series] / max) * 30).toFixed(1)).join(' '));
      svg.appendChild(line);
    }
    return svg;
  }

  function circuitCard(name) {
    let entry = circuits.get(name);
    if (entry) return entry;
    const card = el('div', 'circuit');
    card.dataset.name = name;
    const head = el('div');
    head.append(el('span', 'name', name), document.createTextNode(' '), el('span', 'state'));
    const spark = el('div', 'spark-box');
    const counts = el('div', 'counts');
    const error = el('div', 'error');
    const actions = el('div', 'actions');
    if (mutations) {
      for (const [label, action] of [['Reset', 'reset'], ['Isolate', 'isolate']]) {
        const button = el('button', 'circuit-' + action, label);
        button.type = 'button';
        button.addEventListener('click', async () => {
          const view = await send('POST', 'circuits/' + encodeURIComponent(name) + '/state', { state: action });
          if (view) renderCircuit(view);
        });
        actions.appendChild(button);
      }
    }
    card.append(head, spark, counts, error, actions);
    const container = document.getElementById('circuits');
    const empty = container.querySelector('.empty');
    if (empty) empty.remove();
    const after = [...container.children].find((c) => c.dataset.name > name);
    container.insertBefore(card, after || null);
    entry = { card, history: [] };
    circuits.set(name, entry);
    return entry;
  }

  function setState(entry, state) {
    entry.card.dataset.state = state;
    const badge = entry.card.querySelector('.state');
    badge.dataset.state = state;
    badge.textContent = state;
  }

  function renderCircuit(view) {
    const entry = circuitCard(view.name);
    setState(entry, view.state);
    const calls = view.calls;
    entry.card.querySelector('.counts').textContent =
      calls.total + ' calls, ' + calls.failures + ' failures, ' + calls.rejections + ' rejected, success ' + percent(calls.successRate);
    entry.card.querySelector('.error').textContent = view.lastError ? 'Last error: ' + view.lastError : '';
  }

  function tick(t) {
    const entry = circuitCard(t.name);
    setState(entry, t.state);
    entry.history.push({ calls: t.calls, failures: t.failures });
    if (entry.history.length > SPARK_POINTS) entry.history.shift();
    entry.card.querySelector('.spark-box').replaceChildren(sparkline(entry.history));
  }

  // --- the other panels ----------------------------------------------------------------------------------
  function renderOperations(analytics) {
    fill(document.getElementById('operations'), analytics.operations.map((o) => {
      const rate = el('span', o.successRate < 0.9 ? 'rate-low' : '', percent(o.successRate));
      return row([o.operation, rate, o.attemptsPerSuccess === null ? '-' : o.attemptsPerSuccess.toFixed(2), o.successes, o.failures]);
    }), 'No attempt recorded yet.', 5);
  }

  function renderFailures(failures) {
    fill(document.getElementById('failures'), failures.map((f) =>
      row([time(f.timestamp), f.operation, f.strategy, f.errorType, f.errorMessage])), 'No failure recorded.', 5);
  }

  function renderPatterns(patterns) {
    const box = document.getElementById('patterns');
    const items = patterns.filter((p) => p.pattern !== 'None').map((p) => {
      const div = el('div', 'pattern');
      div.append(el('strong', null, p.operation), document.createTextNode(': '), el('span', 'pattern-name', p.pattern),
        el('span', 'muted', ' (' + p.failureCount + ' failures, confidence ' + percent(p.confidence) + ')'));
      div.appendChild(el('div', 'root-cause', 'Root cause (' + p.rootCause.category + '): ' + p.rootCause.description));
      const list = el('ul');
      for (const r of p.recommendations) list.appendChild(el('li', null, r));
      div.appendChild(list);
      return div;
    });
    box.replaceChildren(...(items.length ? items : [el('p', 'empty', 'No pattern detected.')]));
  }

  function renderBlacklist(entries) {
    fill(document.getElementById('blacklist'), entries.map((b) => {
      let lift = '';
      if (mutations) {
        lift = el('button', 'blacklist-lift', 'Lift');
        lift.type = 'button';
        lift.addEventListener('click', async () => {
          const ok = await send('DELETE', 'blacklist/' + encodeURIComponent(b.operation) + '/' + encodeURIComponent(b.strategy));
          if (ok) refreshBlacklist();
        });
      }
      return row([b.strategy, b.operation, b.reason, dateTime(b.expiresAt), lift]);
    }), 'No strategy is blacklisted.', 5);
  }

  function renderQueues(queues) {
    fill(document.getElementById('queues'), queues.map((q) => {
      const newest = q.error ? q.error : (q.deadLetters.length ? q.deadLetters[0].lastError : '');
      return row([q.name, q.pending, q.inFlight, q.completed, q.deadLettered, newest]);
    }), 'No queue configured (SteadfastWebOptions.QueueNames).', 6);
  }

  function renderWorkflows(workflows) {
    fill(document.getElementById('workflows'), workflows.map((w) =>
      row([w.workflowId, w.status, w.completedSteps, w.checkpoints, time(w.updatedAt), w.error])), 'No workflow recorded.', 6);
  }

  // The mode banner: NORMAL / DEGRADED / EMERGENCY and every reason, as text.
  function renderMode(view) {
    const banner = document.getElementById('mode-banner');
    banner.dataset.mode = view.mode;
    const reasons = (view.reasons || []).map((r) => (r.component ? r.component + ': ' : '') + r.description);
    banner.textContent = String(view.mode).toUpperCase() + (reasons.length ? ' \u2014 ' + reasons.join('; ') : '');
    banner.hidden = false;
  }

  const healthRows = new Map();
  function renderComponent(c) {
    const status = el('span', 'health-status', c.status);
    status.dataset.status = c.status;
    healthRows.set(c.name, row([c.name, status, c.latencyMs.toFixed(1) + ' ms', c.description]));
  }
  function showHealth() {
    document.getElementById('health-section').hidden = healthRows.size === 0;
    const names = [...healthRows.keys()].sort();
    fill(document.getElementById('health'), names.map((n) => healthRows.get(n)), 'No component registered.', 4);
  }
  function renderHealth(view) {
    healthRows.clear();
    for (const c of view.components) renderComponent(c);
    showHealth();
  }

  // The creative solver's steps: loaded with the panels, then appended live from the stream (newest first on screen).
  const CREATIVE_ROWS = 50;
  let creativeEvents = [];
  let creativeAvailable = false;
  function creativeRow(c) {
    const step = el('span', 'creative-kind', c.kind);
    step.dataset.kind = c.kind;
    const verdict = [c.strategyName, c.reason].filter((x) => x).join(': ');
    const tr = row([time(c.at), c.operation, step, c.tool, c.arguments, c.rationale, verdict]);
    tr.dataset.kind = c.kind;
    return tr;
  }
  function renderCreative() {
    document.getElementById('creative-section').hidden = !creativeAvailable && creativeEvents.length === 0;
    fill(document.getElementById('creative'), creativeEvents.slice().reverse().map(creativeRow), 'The creative solver has not been asked yet.', 7);
  }
  function addCreative(c) {
    const key = JSON.stringify(c);
    if (creativeEvents.some((e) => JSON.stringify(e) === key)) return; // already in the snapshot
    creativeEvents.push(c);
    if (creativeEvents.length > CREATIVE_ROWS) creativeEvents.shift();
    renderCreative();
  }
  async function refreshCreative() {
    const view = await getJson('creative?limit=' + CREATIVE_ROWS);
    creativeAvailable = view.available;
    const live = creativeEvents;
    creativeEvents = view.events;
    for (const c of live) addCreative(c);
    renderCreative();
    document.getElementById('creative-section').dataset.loaded = 'true';
  }

  async function refreshBlacklist() { renderBlacklist(await getJson('blacklist')); }

  async function refreshCircuits() {
    for (const view of await getJson('circuits')) renderCircuit(view);
  }

  async function refreshPanels() {
    const [analytics, failures, queues, workflows, health] = await Promise.all([
      getJson('analytics'), getJson('failures?limit=15'), getJson('queues'), getJson('workflows'), getJson('health')]);
    renderHealth(health);
    renderOperations(analytics);
    renderFailures(failures);
    renderQueues(queues);
    renderWorkflows(workflows);
    const operations = analytics.problematicOperations.slice(0, 5).map((o) => o.operation);
    renderPatterns(await Promise.all(operations.map((o) => getJson('patterns/' + encodeURIComponent(o)))));
  }

  function refreshSoon() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refreshPanels().catch((e) => showMessage('Refresh failed: ' + e.message));
    }, 1000);
  }

  async function refreshAll() {
    await Promise.all([refreshCircuits(), refreshBlacklist(), refreshPanels(), refreshCreative(), getJson('mode').then(renderMode)]);
  }

  // --- the live stream -----------------------------------------------------------------------------------
  function connect() {
    const status = document.getElementById('connection');
    document.getElementById('mutations').textContent = mutations ? 'changes allowed' : 'read only';
    const source = new EventSource('events');
    source.addEventListener('hello', () => {
      status.dataset.status = 'live';
      status.textContent = 'live';
      // Loaded after the stream is open, so no transition falls between the snapshot and the stream.
      refreshAll().catch((e) => showMessage('Loading failed: ' + e.message));
    });
    source.addEventListener('circuit', (e) => { renderCircuit(JSON.parse(e.data).circuit); refreshSoon(); });
    source.addEventListener('metrics', (e) => {
      const m = JSON.parse(e.data);
      let calls = 0;
      for (const t of m.circuits) { tick(t); calls += t.calls; }
      document.getElementById('attempt-rate').textContent = m.attempts + ' attempts, ' + m.failedAttempts + ' failed in the last interval';
      if (calls > 0 || m.attempts > 0) refreshSoon();
    });
    source.addEventListener('blacklist', (e) => renderBlacklist(JSON.parse(e.data).entries));
    source.addEventListener('mode', (e) => renderMode(JSON.parse(e.data)));
    source.addEventListener('health', (e) => { renderComponent(JSON.parse(e.data).component); showHealth(); });
    source.addEventListener('alert', (e) => {
      const a = JSON.parse(e.data);
      showMessage((a.kind === 'Recovered' ? 'Recovered: ' : 'Alert: ') + a.component + ': ' + a.message);
    });
    source.addEventListener('creative', (e) => addCreative(JSON.parse(e.data)));
    source.addEventListener('attempt', () => { attempts += 1; });
    source.addEventListener('error', () => {
      status.dataset.status = 'reconnecting';
      status.textContent = 'reconnecting';
    });
  }

  connect();
})();
