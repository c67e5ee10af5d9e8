// The dashboard reads only the public HTTP API: /api/kpis, point, ranking and stream queries, /api/alerts.
'use strict';
(function () {
  const state = { catalogue: [], config: { reportingCurrency: 'EUR', businessTimeZone: 'UTC' }, charts: {}, streams: [] };
  window.kpiDashboard = state;
  const $ = (id) => document.getElementById(id);
  const locale = navigator.language || 'en';

  async function api(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) { const e = new Error(body.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
    return body;
  }

  function banner(text) { const b = $('banner'); b.textContent = text || ''; b.style.display = text ? 'block' : 'none'; }

  function fmt(value, unit) {
    if (value === null || value === undefined) return '–';
    switch (unit) {
      case 'money': return new Intl.NumberFormat(locale, { style: 'currency', currency: state.config.reportingCurrency, maximumFractionDigits: 0 }).format(value);
      case 'ratio': return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
      case 'seconds': return duration(value);
      default: return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
    }
  }

  function duration(s) {
    if (s < 90) return Math.round(s) + ' s';
    if (s < 5400) return (s / 60).toFixed(1) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  }

  function previousMonth(period) {
    const [y, m] = period.split('-').map(Number);
    return m === 1 ? (y - 1) + '-12' : y + '-' + String(m - 1).padStart(2, '0');
  }

  // ---- overview tiles: each a KPI of the current month (or now) with its change against the last period ----
  const TILES = [
    { id: 'revenue', label: 'Revenue', extra: async (p) => { const t = await api('/api/kpis/target_attainment?grain=month&from=' + p + '&to=' + p); const r = (t.points[0].byMetric || {}).revenue; return r ? fmt(r.value, 'ratio') + ' of the revenue target' : 'no company revenue target set'; } },
    { id: 'win_rate', label: 'Win rate' },
    { id: 'pipeline_value', label: 'Pipeline value', grain: 'current', extra: async (p, point) => point.coverage ? 'coverage ' + fmt(point.coverage.value, 'ratio') : (point.count || 0) + ' open deals' },
    { id: 'sql_count', label: 'SQLs', extra: async (p) => { const l = await api('/api/kpis/lead_velocity_rate?grain=month&from=' + p + '&to=' + p); return 'velocity ' + fmt(l.points[0].value, 'ratio'); } },
    { id: 'lead_response_time', label: 'Median lead response', field: 'p50', extra: async (p, point) => point.withinSla ? fmt(point.withinSla.value, 'ratio') + ' within SLA' : '' },
    { id: 'sales_cycle_length', label: 'Sales cycle' },
    { id: 'churn_rate', label: 'Churn' },
    { id: 'cac', label: 'CAC' },
    { id: 'ltv_to_cac', label: 'LTV:CAC', unit: 'count' },
  ];

  function tileValue(point, tile) { return point ? point[tile.field || 'value'] : null; }

  function buildTiles() {
    const box = $('tiles');
    box.innerHTML = '';
    for (const tile of TILES) {
      const el = document.createElement('div');
      el.className = 'tile';
      el.id = 'tile-' + tile.id;
      el.innerHTML = '<div class="label"></div><div class="value">–</div><div class="delta"></div><div class="sub"></div>';
      el.querySelector('.label').textContent = tile.label;
      box.appendChild(el);
    }
  }

  async function refreshTile(tile) {
    const kpi = state.catalogue.find((k) => k.id === tile.id);
    if (!kpi) return;
    const unit = tile.unit || kpi.unit;
    const el = $('tile-' + tile.id);
    let current, previous, period;
    if (tile.grain === 'current') {
      current = (await api('/api/kpis/' + tile.id + '?grain=current')).points[0];
      period = state.month;
    } else {
      period = state.month;
      const r = await api('/api/kpis/' + tile.id + '?grain=month&from=' + previousMonth(period) + '&to=' + period);
      previous = r.points[0];
      current = r.points[1];
    }
    const value = tileValue(current, tile);
    el.dataset.value = value === null || value === undefined ? '' : String(value);
    el.querySelector('.value').textContent = fmt(value, unit);
    const delta = el.querySelector('.delta');
    const before = tileValue(previous, tile);
    if (previous && before !== null && before !== undefined && value !== null && value !== undefined) {
      const diff = value - before;
      const better = kpi.better === 'higher' ? diff > 0 : diff < 0;
      delta.className = 'delta ' + (diff === 0 ? '' : better ? 'up' : 'down');
      delta.textContent = (diff >= 0 ? '▲ ' : '▼ ') + fmt(Math.abs(diff), unit) + ' vs last month';
    } else {
      delta.className = 'delta';
      delta.textContent = previous ? 'no value last month' : '';
    }
    el.querySelector('.sub').textContent = tile.extra ? await tile.extra(period, current || {}).catch(() => '') : '';
  }

  function follow(path, onEvent, name) {
    const es = new EventSource(path);
    es.addEventListener(name, onEvent);
    es.onerror = () => { $('status').textContent = 'reconnecting…'; };
    es.onopen = () => { $('status').textContent = 'live'; };
    state.streams.push(es);
    return es;
  }

  // ---- trends ----
  function fillSelect(select, values, selected) {
    select.innerHTML = '';
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v.id || v; o.textContent = v.name || v.id || v;
      if ((v.id || v) === selected) o.selected = true;
      select.appendChild(o);
    }
  }

  function onTrendKpiChange() {
    const kpi = state.catalogue.find((k) => k.id === $('trend-kpi').value);
    fillSelect($('trend-dimension'), kpi.dimensions, 'company');
    fillSelect($('trend-grain'), kpi.grains, kpi.grains.includes('day') ? 'day' : kpi.grains[0]);
  }

  async function showTrend() {
    const kpi = state.catalogue.find((k) => k.id === $('trend-kpi').value);
    const grain = $('trend-grain').value;
    const dim = $('trend-dimension').value;
    const params = new URLSearchParams({ grain, dimension: dim });
    if (dim !== 'company') params.set('key', $('trend-key').value);
    if (grain !== 'current') {
      if ($('trend-from').value) params.set('from', $('trend-from').value); else params.set('from', defaultFrom(grain));
      if ($('trend-to').value) params.set('to', $('trend-to').value);
    }
    try {
      const r = await api('/api/kpis/' + kpi.id + '?' + params);
      drawTrend(kpi, r.points);
    } catch (e) {
      $('trend-empty').textContent = e.message;
    }
  }

  function defaultFrom(grain) {
    const now = new Date();
    const d = new Date(now);
    if (grain === 'day') { d.setUTCDate(d.getUTCDate() - 30); return d.toISOString().slice(0, 10); }
    if (grain === 'month') { d.setUTCMonth(d.getUTCMonth() - 11); return d.toISOString().slice(0, 7); }
    if (grain === 'quarter') { return (now.getUTCFullYear() - 1) + '-Q' + (Math.floor(now.getUTCMonth() / 3) + 1); }
    if (grain === 'year') { return String(now.getUTCFullYear() - 4); }
    if (grain === 'week') { d.setUTCDate(d.getUTCDate() - 84); return isoWeek(d); }
    return '';
  }

  function isoWeek(date) {
    const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
    const day = d.getUTCDay() || 7;
    d.setUTCDate(d.getUTCDate() + 4 - day);
    const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    return d.getUTCFullYear() + '-W' + String(Math.ceil(((d - yearStart) / 86400000 + 1) / 7)).padStart(2, '0');
  }

  function drawTrend(kpi, points) {
    const labels = points.map((p) => p.period);
    const datasets = [{ label: kpi.name, data: points.map((p) => p.value), borderColor: '#2f5bd3', spanGaps: true }];
    if (kpi.unit === 'seconds') {
      datasets.push({ label: 'p50', data: points.map((p) => p.p50 ?? null), borderColor: '#1a7f4b', spanGaps: true });
      datasets.push({ label: 'p90', data: points.map((p) => p.p90 ?? null), borderColor: '#b3261e', spanGaps: true });
    }
    const hasData = points.some((p) => p.value !== null);
    $('trend-empty').textContent = hasData ? '' : 'No data for this selection yet.';
    if (state.charts.trend) state.charts.trend.destroy();
    state.charts.trend = new Chart($('trend-chart'), {
      type: 'line', data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { ticks: { callback: (v) => fmt(v, kpi.unit) } } },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + fmt(c.parsed.y, kpi.unit) } } } },
    });
  }

  // ---- leaderboard ----
  function onBoardKpiChange() {
    const kpi = state.catalogue.find((k) => k.id === $('board-kpi').value);
    const dims = kpi.dimensions.filter((d) => d !== 'company');
    fillSelect($('board-dimension'), dims, dims.includes('rep') ? 'rep' : dims[0]);
  }

  async function showBoard() {
    const kpi = state.catalogue.find((k) => k.id === $('board-kpi').value);
    const params = new URLSearchParams({ dimension: $('board-dimension').value, grain: $('board-grain').value, limit: '10' });
    if ($('board-period').value) params.set('period', $('board-period').value);
    const body = $('board-table').querySelector('tbody');
    body.innerHTML = '';
    try {
      const r = await api('/api/kpis/' + kpi.id + '/ranking?' + params);
      r.entries.forEach((e, i) => {
        const tr = document.createElement('tr');
        tr.innerHTML = '<td></td><td></td><td class="num"></td>';
        tr.children[0].textContent = i + 1; tr.children[1].textContent = e.key; tr.children[2].textContent = fmt(e.value, kpi.unit);
        body.appendChild(tr);
      });
      $('board-empty').textContent = r.entries.length ? '' : 'Nobody has a value for ' + r.period + ' yet.';
    } catch (e) {
      $('board-empty').textContent = e.message;
    }
  }

  // ---- pipeline by stage ----
  async function showPipeline() {
    const r = await api('/api/kpis/pipeline_value?grain=current');
    const p = r.points[0];
    const body = $('pipeline-table').querySelector('tbody');
    body.innerHTML = '';
    const stages = Object.entries(p.byStage || {});
    for (const [stage, s] of stages) {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td></td><td class="num"></td><td class="num"></td>';
      tr.children[0].textContent = stage; tr.children[1].textContent = s.count; tr.children[2].textContent = fmt(s.value, 'money');
      body.appendChild(tr);
    }
    $('pipeline-empty').textContent = stages.length ? '' : 'No open deals.';
  }

  // ---- alerts ----
  async function showAlerts() {
    const all = await api('/api/alerts?status=all');
    state.alerts = all.filter((a) => a.status === 'open').concat(all.filter((a) => a.status !== 'open').slice(0, 20));
    renderAlerts();
  }

  function renderAlerts() {
    const body = $('alerts-table').querySelector('tbody');
    body.innerHTML = '';
    const zone = state.config.businessTimeZone;
    for (const a of state.alerts || []) {
      const tr = document.createElement('tr');
      tr.dataset.lead = a.leadId || '';
      tr.innerHTML = '<td></td><td></td><td></td><td></td><td></td><td></td><td></td><td class="num"></td>';
      const c = tr.children;
      c[0].textContent = a.status; c[0].className = a.status;
      c[1].textContent = a.rule.replaceAll('_', ' '); c[2].textContent = a.leadId || ''; c[3].textContent = a.repId || '';
      c[4].textContent = a.teamId || ''; c[5].textContent = a.source || '';
      c[6].textContent = a.deadline ? new Date(a.deadline).toLocaleTimeString(locale, { timeZone: zone }) : '';
      const waited = a.status === 'open' && a.createdAt ? (Date.now() - Date.parse(a.createdAt)) / 1000 : a.waitSeconds;
      c[7].textContent = waited === null || waited === undefined ? '' : duration(waited);
      body.appendChild(tr);
    }
    $('alerts-empty').textContent = (state.alerts || []).length ? '' : 'No alerts: every new lead was contacted in time.';
  }

  // ---- start-up, with retries while the pipeline is starting ----
  async function start() {
    try {
      state.config = await api('/api/config');
      state.catalogue = await api('/api/kpis');
      state.month = (await api('/api/kpis/revenue?grain=month')).points[0].period;
    } catch (e) {
      banner('The pipeline is starting (' + e.message + '); retrying…');
      setTimeout(start, 2000);
      return;
    }
    banner('');
    $('period').textContent = state.month + ' · ' + state.config.businessTimeZone;
    buildTiles();
    fillSelect($('trend-kpi'), state.catalogue, 'revenue');
    onTrendKpiChange();
    $('trend-kpi').onchange = onTrendKpiChange;
    $('trend-go').onclick = showTrend;
    fillSelect($('board-kpi'), state.catalogue.filter((k) => k.dimensions.length > 1 || k.dimensions[0] !== 'company'), 'revenue');
    onBoardKpiChange();
    $('board-kpi').onchange = onBoardKpiChange;
    $('board-go').onclick = showBoard;
    await Promise.all(TILES.map((t) => refreshTile(t).catch(() => {})));
    await Promise.all([showTrend(), showBoard(), showPipeline().catch(() => {}), showAlerts().catch(() => {})]);
    // one connection for every tile (browsers allow only a few per host); a change refreshes the tile it concerns
    const ids = TILES.map((t) => t.id).concat(['target_attainment', 'lead_velocity_rate']);
    follow('/api/stream?kpis=' + ids.join(','), (e) => {
      const point = JSON.parse(e.data);
      for (const tile of TILES) {
        if (point.period === undefined || tile.id === point.kpi || (tile.id === 'revenue' && point.kpi === 'target_attainment')
            || (tile.id === 'sql_count' && point.kpi === 'lead_velocity_rate')) {
          refreshTile(tile).catch(() => {});
        }
      }
      if (point.kpi === 'pipeline_value') showPipeline().catch(() => {});
    }, 'point');
    follow('/api/alerts/stream', () => showAlerts().catch(() => {}), 'alert');
    setInterval(renderAlerts, 1000);
    $('status').textContent = 'live';
  }

  start();
})();
