// The dashboard reads only the public HTTP API: /api/config, /api/kpis, point, ranking and stream queries, /api/alerts.
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

  /** An ISO-8601 duration as the configuration gives it (PT5M, PT1H30M) in words: "5 minutes", "1 hour 30 minutes". */
  function isoDuration(text) {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text || '');
    if (!m) return text;
    const words = [];
    ['day', 'hour', 'minute', 'second'].forEach((unit, i) => {
      const n = +(m[i + 1] || 0);
      if (n) words.push(n + ' ' + unit + (n === 1 ? '' : 's'));
    });
    return words.join(' ') || '0 seconds';
  }

  // ---- calendar: periods as the API writes them (day 2026-11-02, month 2026-11, quarter 2026-Q4, year 2026) ----
  const day = (s) => new Date(s + 'T00:00:00Z');
  const dayText = (d) => d.toISOString().slice(0, 10);
  const addDays = (s, n) => { const d = day(s); d.setUTCDate(d.getUTCDate() + n); return dayText(d); };
  const shiftMonth = (m, n) => { const d = new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1 + n, 1)); return d.toISOString().slice(0, 7); };
  const lastDayOf = (m) => addDays(shiftMonth(m, 1) + '-01', -1);
  const quarterOf = (s) => s.slice(0, 4) + '-Q' + (Math.floor((+s.slice(5, 7) - 1) / 3) + 1);
  const quarterStart = (q) => q.slice(0, 4) + '-' + String((+q.slice(6) - 1) * 3 + 1).padStart(2, '0') + '-01';
  const shiftQuarter = (q, n) => quarterOf(shiftMonth(quarterStart(q).slice(0, 7), 3 * n) + '-01');
  const quarterEnd = (q) => addDays(quarterStart(shiftQuarter(q, 1)), -1);
  const monthName = (m) => day(m + '-01').toLocaleDateString(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const shortDay = (s) => day(s).toLocaleDateString(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });

  /**
   * What the period picker means in API terms: the grain and period of every tile and its previous one (or, for
   * the last 30 days, the two day ranges), and the daily or monthly series the pipeline chart draws.
   */
  function periodChoice(id, today) {
    const month = today.slice(0, 7), quarter = quarterOf(today), year = today.slice(0, 4);
    switch (id) {
      case 'last-month': {
        const p = shiftMonth(month, -1);
        return { id, grain: 'month', period: p, previous: shiftMonth(month, -2), label: monthName(p), compare: 'the month before',
          series: { grain: 'day', from: p + '-01', to: lastDayOf(p) } };
      }
      case 'this-quarter':
        return { id, grain: 'quarter', period: quarter, previous: shiftQuarter(quarter, -1), label: quarter + ' (so far)', compare: 'last quarter',
          series: { grain: 'day', from: quarterStart(quarter), to: today } };
      case 'last-quarter': {
        const p = shiftQuarter(quarter, -1);
        return { id, grain: 'quarter', period: p, previous: shiftQuarter(quarter, -2), label: p, compare: 'the quarter before',
          series: { grain: 'day', from: quarterStart(p), to: quarterEnd(p) } };
      }
      case 'this-year':
        return { id, grain: 'year', period: year, previous: String(+year - 1), label: year + ' (so far)', compare: 'last year',
          series: { grain: 'month', from: year + '-01', to: month } };
      case 'last-30': {
        const from = addDays(today, -29);
        return { id, grain: 'day', range: [from, today], previousRange: [addDays(today, -59), addDays(today, -30)],
          label: shortDay(from) + ' – ' + shortDay(today), compare: 'the 30 days before', series: { grain: 'day', from, to: today } };
      }
      default:
        return { id: 'this-month', grain: 'month', period: month, previous: shiftMonth(month, -1), label: monthName(month) + ' (so far)',
          compare: 'last month', series: { grain: 'day', from: month + '-01', to: today } };
    }
  }

  // ---- combining points: a day range is summed the way each KPI's parts add up ----
  const sum = (points, f) => points.reduce((a, p) => a + (Number(p[f]) || 0), 0);

  /**
   * One point from several: 'sum' counts and money (no data is 0), 'ratio' numerators over denominators, 'mean'
   * durations by their counts, 'level' the last (the pipeline at the range's end); 'none' cannot be combined.
   */
  function combine(points, kind) {
    if (points.length === 1 && kind !== 'sum') return points[0];
    switch (kind) {
      case 'sum': return { value: sum(points, 'value'), count: sum(points, 'count') };
      case 'ratio': {
        const n = sum(points, 'numerator'), d = sum(points, 'denominator');
        const out = { value: d ? n / d : null, numerator: n, denominator: d };
        if (points.some((p) => p.withinSla)) out.withinSla = combine(points.map((p) => p.withinSla || {}), 'ratio');
        return out;
      }
      case 'mean': {
        const c = sum(points, 'count'), s = sum(points, 'sum');
        const out = { value: c ? s / c : null, count: c, sum: s };
        if (points.some((p) => p.withinSla)) out.withinSla = combine(points.map((p) => p.withinSla || {}), 'ratio');
        return out;
      }
      case 'level': return points[points.length - 1];
      default: return null;
    }
  }

  /** The selection's point of a KPI and the previous period's, or why there is none. */
  async function pointsFor(kpi, kind, choice, dimension, key) {
    const scope = dimension && dimension !== 'company' ? '&dimension=' + dimension + '&key=' + encodeURIComponent(key) : '';
    if (choice.range) {
      if (kind === 'none' || !kpi.grains.includes('day')) return { unavailable: 'by ' + kpi.grains.join(', ') + ' only' };
      const r = await api('/api/kpis/' + kpi.id + '?grain=day&from=' + choice.previousRange[0] + '&to=' + choice.range[1] + scope);
      return { previous: combine(r.points.slice(0, 30), kind), current: combine(r.points.slice(30), kind) };
    }
    if (!kpi.grains.includes(choice.grain)) return { unavailable: 'by ' + kpi.grains.filter((g) => g !== 'current').join(', ') + ' only' };
    const r = await api('/api/kpis/' + kpi.id + '?grain=' + choice.grain + '&from=' + choice.previous + '&to=' + choice.period + scope);
    return { previous: combine([r.points[0]], kind), current: combine([r.points[1]], kind) };
  }

  // ---- overview: the three numbers that matter first, then the rest, each against the previous period ----
  const HERO = [
    { id: 'revenue', label: 'Revenue', kind: 'sum', sub: async (c, cur) => {
      if (c.grain !== 'month' && c.grain !== 'quarter') return cur.count ? cur.count + ' deals won' : 'no deals won';
      const t = (await api('/api/kpis/target_attainment?grain=' + c.grain + '&from=' + c.period + '&to=' + c.period)).points[0];
      const r = (t.byMetric || {}).revenue;
      return r ? fmt(r.value, 'ratio') + ' of the ' + fmt(r.denominator, 'money') + ' target' : 'no company revenue target set';
    } },
    { id: 'pipeline_value', label: 'Open pipeline', kind: 'level', at: 'end', sub: async (c, cur) =>
      (cur.count || 0) + ' open deals' + (cur.coverage && cur.coverage.value !== null ? ' · coverage ' + fmt(cur.coverage.value, 'ratio') : '') },
    { id: 'win_rate', label: 'Win rate', kind: 'ratio', sub: async (c, cur) =>
      cur.denominator ? cur.numerator + ' won of ' + cur.denominator + ' closed' : 'no deals closed' },
  ];
  const TILES = [
    { id: 'new_opportunities', label: 'New opportunities', kind: 'sum' },
    { id: 'sql_count', label: 'SQLs', kind: 'sum', sub: async (c) => {
      if (c.grain !== 'month' && c.grain !== 'quarter') return '';
      const l = (await api('/api/kpis/lead_velocity_rate?grain=' + c.grain + '&from=' + c.period + '&to=' + c.period)).points[0];
      return l.value === null ? '' : 'velocity ' + fmt(l.value, 'ratio');
    } },
    { id: 'lead_response_time', label: 'Lead response (mean)', kind: 'mean', sub: async (c, cur) =>
      cur.withinSla && cur.withinSla.denominator ? fmt(cur.withinSla.value, 'ratio') + ' of new leads within SLA' : '' },
    { id: 'sales_cycle_length', label: 'Sales cycle (mean)', kind: 'mean' },
    { id: 'average_deal_size', label: 'Average deal size', kind: 'ratio' },
    { id: 'churn_rate', label: 'Churn', kind: 'none' },
    { id: 'cac', label: 'CAC', kind: 'ratio' },
    { id: 'ltv_to_cac', label: 'LTV:CAC', kind: 'none', unit: 'count' },
  ];
  const ALL_TILES = HERO.concat(TILES);

  function buildTiles() {
    for (const [box, tiles] of [[$('hero'), HERO], [$('tiles'), TILES]]) {
      box.innerHTML = '';
      for (const tile of tiles) {
        const el = document.createElement('div');
        el.className = 'tile';
        el.id = 'tile-' + tile.id;
        el.innerHTML = '<div class="label"></div><div class="value">…</div><div class="delta"></div><div class="sub"></div>';
        el.querySelector('.label').textContent = tile.label;
        box.appendChild(el);
      }
    }
  }

  /** The change against the previous period, right whichever side has no value. */
  function comparison(kpi, unit, value, before, choice) {
    const has = (v) => v !== null && v !== undefined;
    if (has(value) && has(before)) {
      const diff = value - before;
      if (diff === 0) return { cls: '', text: 'same as ' + choice.compare };
      const better = kpi.better === 'higher' ? diff > 0 : diff < 0;
      // a change of a rate is in percentage points: 30% to 40% is 10 pp, not 10%
      const size = unit === 'ratio' ? new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(diff) * 100) + ' pp'
        : fmt(Math.abs(diff), unit);
      return { cls: better ? 'up' : 'down', text: (diff > 0 ? '▲ ' : '▼ ') + size + ' vs ' + choice.compare };
    }
    if (has(before)) return { cls: '', text: choice.compare + ': ' + fmt(before, unit) };
    if (has(value)) return { cls: '', text: 'no value ' + choice.compare };
    return { cls: '', text: '' };
  }

  /**
   * Whether the user has picked another period since {@code choice} was asked for: a slow answer for the period left
   * behind must not overwrite the one shown now.
   */
  function stale(choice) {
    return state.choice !== choice;
  }

  async function refreshTile(tile) {
    const kpi = state.catalogue.find((k) => k.id === tile.id);
    const el = $('tile-' + tile.id);
    if (!kpi || !el) return;
    const choice = state.choice;
    const unit = tile.unit || kpi.unit;
    const r = await pointsFor(kpi, tile.kind, choice);
    if (stale(choice)) return;
    const delta = el.querySelector('.delta');
    if (r.unavailable) {
      el.dataset.value = '';
      el.querySelector('.value').textContent = '–';
      delta.className = 'delta';
      delta.textContent = '';
      el.querySelector('.sub').textContent = r.unavailable;
      return;
    }
    const value = r.current ? r.current.value : null;
    el.dataset.value = value === null || value === undefined ? '' : String(value);
    el.querySelector('.value').textContent = fmt(value, unit);
    const c = comparison(kpi, unit, value, r.previous ? r.previous.value : null, choice);
    delta.className = 'delta ' + c.cls;
    delta.textContent = c.text;
    const sub = tile.sub ? await tile.sub(choice, r.current || {}).catch(() => '') : '';
    if (stale(choice)) return;
    el.querySelector('.sub').textContent = sub || (value === null || value === undefined ? 'no value for ' + choice.label : '');
  }

  // ---- pipeline: the open pipeline over the period by stage, and how it moved ----
  const STAGE_COLOURS = ['#2f5bd3', '#5b8def', '#8fb3f5', '#f0a030', '#e07b39', '#9c6ade', '#3aa99f', '#c7c7cc'];

  /**
   * Stages in pipeline order, from the data: a deal visits the stages of a funnel in order and fewer deals reach
   * each later one, so the stages sorted by how many deals have been in them (left this year or last, or in now)
   * come out first to last; ties by name.
   */
  async function stageOrder() {
    const year = state.today.slice(0, 4);
    const [visits, now] = await Promise.all([
      api('/api/kpis/stage_duration?grain=year&from=' + (+year - 1) + '&to=' + year),
      api('/api/kpis/pipeline_value?grain=current'),
    ]);
    const count = {};
    for (const p of visits.points) for (const [s, v] of Object.entries(p.byStage || {})) count[s] = (count[s] || 0) + (v.count || 0);
    for (const [s, v] of Object.entries(now.points[0].byStage || {})) count[s] = (count[s] || 0) + (v.count || 0);
    return Object.keys(count).sort((a, b) => count[b] - count[a] || a.localeCompare(b));
  }

  async function showPipelineHistory() {
    const choice = state.choice, s = choice.series;
    const [r, order] = await Promise.all([
      api('/api/kpis/pipeline_value?grain=' + s.grain + '&from=' + s.from + '&to=' + s.to), stageOrder()]);
    if (stale(choice)) return;
    const stages = order.slice();
    for (const p of r.points) for (const st of Object.keys(p.byStage || {})) if (!stages.includes(st)) stages.push(st);
    const labels = r.points.map((p) => s.grain === 'day' ? shortDay(p.period) : p.period);
    const datasets = stages.map((st, i) => ({
      type: 'bar', label: st, stack: 'stages', backgroundColor: STAGE_COLOURS[i % STAGE_COLOURS.length],
      data: r.points.map((p) => (p.byStage && p.byStage[st] ? p.byStage[st].value : 0)),
    }));
    datasets.push({ type: 'line', label: 'Total', stack: 'total', borderColor: '#1d2330', backgroundColor: '#1d2330', pointRadius: 0,
      borderWidth: 1.5, data: r.points.map((p) => p.value || 0) });
    state.pipeline = { stages, points: r.points };
    $('pipeline-history-title').textContent = 'Open pipeline by stage, at the end of each ' + (s.grain === 'day' ? 'day' : 'month');
    $('pipeline-empty').textContent = r.points.some((p) => p.value) ? '' : 'No open deals in this period.';
    if (state.charts.pipeline) state.charts.pipeline.destroy();
    state.charts.pipeline = new Chart($('pipeline-chart'), {
      data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: (v) => fmt(v, 'money') } } },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + fmt(c.parsed.y, 'money') } } } },
    });
  }

  const FLOW = [['opening', 'Opening', 0], ['created', 'Created', 1], ['increased', 'Increased', 1], ['decreased', 'Decreased', -1],
    ['won', 'Won', -1], ['lost', 'Lost', -1], ['reopened', 'Reopened', 1], ['closing', 'Closing', 0]];

  async function showFlow() {
    const c = state.choice;
    let flow;
    if (c.range) {
      const r = await api('/api/kpis/pipeline_flow?grain=day&from=' + c.range[0] + '&to=' + c.range[1]);
      flow = { opening: r.points[0].opening, closing: r.points[r.points.length - 1].closing };
      for (const [part, , sign] of FLOW) {
        if (sign !== 0) flow[part] = { count: sum(r.points.map((p) => p[part]), 'count'), value: sum(r.points.map((p) => p[part]), 'value') };
      }
    } else {
      flow = (await api('/api/kpis/pipeline_flow?grain=' + c.grain + '&from=' + c.period + '&to=' + c.period)).points[0];
    }
    if (stale(c)) return;
    state.flow = flow;
    const bars = [], colours = [];
    let level = flow.opening.value;
    for (const [part, , sign] of FLOW) {
      const v = flow[part].value;
      if (sign === 0) { bars.push([0, v]); colours.push('#8a93a6'); continue; }
      bars.push(sign > 0 ? [level, level + v] : [level - v, level]);
      colours.push(sign > 0 ? '#1a7f4b' : '#b3261e');
      level += sign * v;
    }
    $('flow-title').textContent = 'How it moved · ' + c.label;
    const body = $('flow-table').querySelector('tbody');
    body.innerHTML = '';
    for (const [part, label, sign] of FLOW) {
      const tr = document.createElement('tr');
      tr.dataset.part = part;
      tr.dataset.value = String(flow[part].value);
      tr.innerHTML = '<td></td><td class="num"></td><td class="num"></td>';
      tr.children[0].textContent = label;
      tr.children[1].textContent = flow[part].count;
      tr.children[2].textContent = (sign > 0 ? '+ ' : sign < 0 ? '− ' : '') + fmt(flow[part].value, 'money');
      body.appendChild(tr);
    }
    // the axis starts below the lowest level the bars reach, so that the movement shows beside the whole pipeline
    const levels = bars.filter((b, i) => FLOW[i][2] !== 0).flat().concat([flow.opening.value, flow.closing.value]);
    const lo = Math.min(...levels), hi = Math.max(...levels);
    const raw = lo > 0 ? Math.max(0, lo - Math.max((hi - lo) * 0.5, hi * 0.05)) : 0;
    const step = raw > 0 ? Math.pow(10, Math.floor(Math.log10(raw))) : 1;
    const min = raw > 0 ? Math.floor(raw / step) * step : undefined;
    if (state.charts.flow) state.charts.flow.destroy();
    state.charts.flow = new Chart($('flow-chart'), {
      type: 'bar',
      data: { labels: FLOW.map((f) => f[1]), datasets: [{ label: 'pipeline', data: bars, backgroundColor: colours }] },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => fmt(flow[FLOW[ctx.dataIndex][0]].value, 'money') + ' · ' + flow[FLOW[ctx.dataIndex][0]].count + ' deals' } } },
        scales: { y: { min, ticks: { callback: (v) => fmt(v, 'money') } } } },
    });
  }

  // ---- leaderboard, for the chosen period ----
  const LEVELS = ['pipeline_value', 'active_deals'];
  const NOT_ADDITIVE = ['churn_rate', 'retention_rate', 'average_customer_lifetime', 'clv', 'ltv_to_cac', 'lead_velocity_rate',
    'forecast_accuracy', 'target_attainment'];

  function fillSelect(select, values, selected) {
    select.innerHTML = '';
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v.id || v; o.textContent = v.name || v.id || v;
      if ((v.id || v) === selected) o.selected = true;
      select.appendChild(o);
    }
  }

  function onBoardKpiChange() {
    const kpi = state.catalogue.find((k) => k.id === $('board-kpi').value);
    const dims = kpi.dimensions.filter((d) => d !== 'company');
    fillSelect($('board-dimension'), dims, dims.includes('rep') ? 'rep' : dims[0]);
  }

  /** Rankings of a day range: every key's day entries combined as the tiles combine points, best first. */
  async function rangeRanking(kpi, dimension, c) {
    const days = [];
    for (let d = c.range[0]; d <= c.range[1]; d = addDays(d, 1)) days.push(d);
    const all = await Promise.all(days.map((d) => api('/api/kpis/' + kpi.id + '/ranking?grain=day&limit=10000&dimension=' + dimension + '&period=' + d)));
    const byKey = {};
    for (const r of all) for (const e of r.entries) (byKey[e.key] = byKey[e.key] || []).push(e);
    const kind = kpi.unit === 'seconds' ? 'mean' : Object.values(byKey).some((es) => es.some((e) => 'denominator' in e)) ? 'ratio' : 'sum';
    const sign = kpi.better === 'higher' ? -1 : 1;
    return Object.entries(byKey).map(([key, es]) => ({ key, value: combine(es, kind).value })).filter((e) => e.value !== null)
      .sort((a, b) => sign * (a.value - b.value) || a.key.localeCompare(b.key)).slice(0, 10);
  }

  async function showBoard() {
    const kpi = state.catalogue.find((k) => k.id === $('board-kpi').value);
    const c = state.choice;
    const dimension = $('board-dimension').value;
    const body = $('board-table').querySelector('tbody');
    $('board-title').textContent = 'Leaderboard · ' + c.label;
    try {
      let entries;
      if (!c.range) {
        if (!kpi.grains.includes(c.grain)) throw new Error(kpi.name + ' is by ' + kpi.grains.join(', ') + ' only');
        entries = (await api('/api/kpis/' + kpi.id + '/ranking?limit=10&dimension=' + dimension + '&grain=' + c.grain + '&period=' + c.period)).entries;
      } else if (LEVELS.includes(kpi.id)) {
        entries = (await api('/api/kpis/' + kpi.id + '/ranking?limit=10&dimension=' + dimension + '&grain=day&period=' + c.range[1])).entries;
      } else if (NOT_ADDITIVE.includes(kpi.id) || !kpi.grains.includes('day')) {
        throw new Error(kpi.name + ' has no value over a range of days: pick a month, quarter or year');
      } else {
        entries = await rangeRanking(kpi, dimension, c);
      }
      if (stale(c)) return;
      body.innerHTML = '';
      entries.forEach((e, i) => {
        const tr = document.createElement('tr');
        tr.innerHTML = '<td></td><td></td><td class="num"></td>';
        tr.children[0].textContent = i + 1; tr.children[1].textContent = e.key; tr.children[2].textContent = fmt(e.value, kpi.unit);
        body.appendChild(tr);
      });
      $('board-empty').textContent = entries.length ? '' : 'Nobody has a value for ' + c.label + ' yet.';
    } catch (e) {
      if (stale(c)) return;
      body.innerHTML = '';
      $('board-empty').textContent = e.message;
    }
  }

  // ---- lead response: what is true of the period's leads, and the alerts open now ----
  async function showLeadSummary() {
    const c = state.choice;
    const [created, response] = await Promise.all([
      pointsFor(state.catalogue.find((k) => k.id === 'leads_created'), 'sum', c),
      pointsFor(state.catalogue.find((k) => k.id === 'lead_response_time'), 'mean', c)]);
    if (stale(c)) return;
    const n = created.current ? created.current.value || 0 : 0;
    const r = response.current || {};
    const contacted = r.count || 0, within = r.withinSla ? r.withinSla.numerator || 0 : 0;
    $('alerts-summary').textContent = n === 0 ? 'No leads created in ' + c.label + '.'
      : c.label + ': ' + n + ' leads created, ' + contacted + ' contacted (' + within + ' within their SLA), '
        + (n - contacted) + ' not contacted yet.';
  }

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
    $('alerts-table').style.display = (state.alerts || []).length ? '' : 'none';
    const open = (state.alerts || []).filter((a) => a.status === 'open').length;
    const horizon = isoDuration(state.config.alertingHorizon || 'PT1H');
    $('alerts-empty').textContent = open ? '' : 'No open alerts: no lead created in the last ' + horizon
      + ' is waiting past its response SLA (' + isoDuration(state.config.leadResponseSla || 'PT5M') + ') right now.';
  }

  // ---- trends ----
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
      params.set('from', $('trend-from').value || defaultFrom(grain));
      params.set('to', $('trend-to').value || defaultTo(grain));
    }
    try {
      const r = await api('/api/kpis/' + kpi.id + '?' + params);
      drawTrend(kpi, r.points);
    } catch (e) {
      $('trend-empty').textContent = e.message;
    }
  }

  function defaultFrom(grain) {
    const t = state.today;
    if (grain === 'day') return addDays(t, -30);
    if (grain === 'month') return shiftMonth(t.slice(0, 7), -11);
    if (grain === 'quarter') return shiftQuarter(quarterOf(t), -4);
    if (grain === 'year') return String(+t.slice(0, 4) - 4);
    if (grain === 'week') return isoWeek(day(addDays(t, -84)));
    return '';
  }

  function defaultTo(grain) {
    const t = state.today;
    return { day: t, month: t.slice(0, 7), quarter: quarterOf(t), year: t.slice(0, 4), week: isoWeek(day(t)) }[grain] || '';
  }

  function isoWeek(date) {
    const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
    const dow = d.getUTCDay() || 7;
    d.setUTCDate(d.getUTCDate() + 4 - dow);
    const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    return d.getUTCFullYear() + '-W' + String(Math.ceil(((d - yearStart) / 86400000 + 1) / 7)).padStart(2, '0');
  }

  /** Counts and sums with no data are 0; ratios and durations with none are gaps, and no line is drawn across them. */
  function drawTrend(kpi, points) {
    const additive = (kpi.unit === 'count' || kpi.unit === 'money') && !points.some((p) => 'denominator' in p);
    const value = (v) => (v === null || v === undefined ? (additive ? 0 : null) : v);
    const labels = points.map((p) => p.period);
    const datasets = [{ label: kpi.name, data: points.map((p) => value(p.value)), borderColor: '#2f5bd3', spanGaps: false }];
    if (kpi.unit === 'seconds') {
      datasets.push({ label: 'p50', data: points.map((p) => p.p50 ?? null), borderColor: '#1a7f4b', spanGaps: false });
      datasets.push({ label: 'p90', data: points.map((p) => p.p90 ?? null), borderColor: '#b3261e', spanGaps: false });
    }
    const hasData = points.some((p) => p.value !== null);
    $('trend-empty').textContent = hasData ? '' : 'No data for this selection yet.';
    if (state.charts.trend) state.charts.trend.destroy();
    state.charts.trend = new Chart($('trend-chart'), {
      type: 'line', data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: additive, ticks: { callback: (v) => fmt(v, kpi.unit) } } },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + fmt(c.parsed.y, kpi.unit) } } } },
    });
  }

  // ---- the period picker, live updates, start-up ----
  function follow(path, onEvent, name) {
    const es = new EventSource(path);
    es.addEventListener(name, onEvent);
    es.onerror = () => { $('status').textContent = 'reconnecting…'; };
    es.onopen = () => { $('status').textContent = 'live'; };
    state.streams.push(es);
    return es;
  }

  const pending = {};
  /** Runs {@code job} once a burst of changes has passed (a backfill sends thousands). */
  function soon(name, job, ms) {
    clearTimeout(pending[name]);
    pending[name] = setTimeout(() => job().catch(() => {}), ms || 500);
  }

  async function renderAll() {
    $('period').textContent = state.choice.label + ' · ' + state.config.businessTimeZone;
    await Promise.all(ALL_TILES.map((t) => refreshTile(t).catch(() => {})));
    await Promise.all([showPipelineHistory().catch(() => {}), showFlow().catch(() => {}), showBoard(),
      showLeadSummary().catch(() => {})]);
    state.rendered = state.choice.id;
  }

  async function currentDay() {
    // the business day, as the pipeline sees it; ?today=YYYY-MM-DD shows the page as it is on another day
    const asked = new URLSearchParams(location.search).get('today');
    if (asked && /^\d{4}-\d{2}-\d{2}$/.test(asked)) return asked;
    return (await api('/api/kpis/revenue?grain=day')).points[0].period;
  }

  async function start() {
    try {
      state.config = await api('/api/config');
      state.catalogue = await api('/api/kpis');
      state.today = await currentDay();
    } catch (e) {
      banner('The pipeline is starting (' + e.message + '); retrying…');
      setTimeout(start, 2000);
      return;
    }
    banner('');
    const picker = $('period-choice');
    const saved = (location.hash.match(/period=([\w-]+)/) || [])[1] || localStorage.getItem('kpi-period') || 'this-month';
    picker.value = [...picker.options].some((o) => o.value === saved) ? saved : 'this-month';
    state.choice = periodChoice(picker.value, state.today);
    picker.onchange = () => {
      localStorage.setItem('kpi-period', picker.value);
      history.replaceState(null, '', '#period=' + picker.value);
      state.choice = periodChoice(picker.value, state.today);
      renderAll();
    };
    buildTiles();
    fillSelect($('trend-kpi'), state.catalogue, 'revenue');
    onTrendKpiChange();
    $('trend-kpi').onchange = onTrendKpiChange;
    $('trend-go').onclick = showTrend;
    fillSelect($('board-kpi'), state.catalogue.filter((k) => k.dimensions.length > 1 || k.dimensions[0] !== 'company'), 'revenue');
    onBoardKpiChange();
    $('board-kpi').onchange = () => { onBoardKpiChange(); showBoard(); };
    $('board-dimension').onchange = showBoard;
    await Promise.all([renderAll(), showTrend(), showAlerts().catch(() => {})]);
    // one connection for every tile (browsers allow only a few per host); a change refreshes what it concerns
    const ids = ALL_TILES.map((t) => t.id).concat(['target_attainment', 'lead_velocity_rate', 'pipeline_flow', 'leads_created']);
    follow('/api/stream?kpis=' + ids.join(','), (e) => {
      const point = JSON.parse(e.data);
      for (const tile of ALL_TILES) {
        if (point.period === undefined || tile.id === point.kpi || (tile.id === 'revenue' && point.kpi === 'target_attainment')
            || (tile.id === 'sql_count' && point.kpi === 'lead_velocity_rate')) {
          soon('tile-' + tile.id, () => refreshTile(tile));
        }
      }
      if (point.period === undefined || point.kpi === 'pipeline_value' || point.kpi === 'pipeline_flow') {
        soon('pipeline', () => Promise.all([showPipelineHistory(), showFlow()]), 1500);
      }
      if (point.period === undefined || point.kpi === 'leads_created' || point.kpi === 'lead_response_time') soon('leads', showLeadSummary, 1500);
    }, 'point');
    follow('/api/alerts/stream', () => soon('alerts', showAlerts, 200), 'alert');
    setInterval(renderAlerts, 1000);
    // a new business day moves "this month" and "the last 30 days"
    setInterval(async () => {
      const today = await currentDay().catch(() => state.today);
      if (today !== state.today) { state.today = today; state.choice = periodChoice(picker.value, today); renderAll(); }
    }, 60000);
    $('status').textContent = 'live';
  }

  start();
})();
