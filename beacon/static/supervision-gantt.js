// A key project's milestones, plan against actual: per milestone a bar up to the planned
// date coloured by state, a hollow grey diamond at the baseline when it was re-planned, a
// filled dot at the actual date, and a line at today. Data and labels come from
// beacon/supervision/gantt.py through json_script (#gantt-data).
(function () {
  const source = document.getElementById('gantt-data');
  const el = document.getElementById('project-gantt');
  if (!source || !el || typeof echarts === 'undefined') return;
  const g = JSON.parse(source.textContent);
  const ms = g.milestones, L = g.labels, C = g.colours;
  const DAY = 86400000;
  // ISO dates as local midnight, the way ECharts reads 'YYYY-MM-DD' on a time axis
  const t = s => { const [y, m, d] = s.split('-').map(Number); return new Date(y, m - 1, d).getTime(); };
  const lo = t(g.range[0]), hi = t(g.range[1]);
  const pad = Math.max(3 * DAY, (hi - lo) * 0.02);
  const today = t(g.today);
  const GREY = '#626976', INK = '#1d273b';

  function tooltip(p) {
    const m = ms[p.data.row];
    const line = (label, value) => ({text: `${label}: ${value || '—'}`});
    return beaconTip([{text: m.name, bold: true}, line(L.baseline, m.baseline),
      line(L.planned, m.planned), line(L.actual, m.actual),
      {colour: C[m.state], text: L.states[m.state] + (m.days_late ? ` · ${L.days_late}: ${m.days_late}` : '')}]);
  }

  // the bar from `from` to `planned`, and when the milestone slipped past its plan a line
  // on to the actual date (late) or to today (overdue, dashed)
  function renderBar(params, api) {
    const row = api.value(2);
    const start = api.coord([api.value(0), row]), end = api.coord([api.value(1), row]);
    const h = api.size([0, 1])[1] * 0.4;
    const width = Math.max(end[0] - start[0], 4);
    const colour = api.visual('color');
    const children = [{type: 'rect', shape: {x: end[0] - width, y: end[1] - h / 2, width: width, height: h, r: 3},
      style: {fill: colour, opacity: 0.85}}];
    const slip = api.value(3);
    if (slip) {
      const to = api.coord([slip, row]);
      children.push({type: 'line', shape: {x1: end[0], y1: end[1], x2: to[0], y2: to[1]},
        style: {stroke: colour, lineWidth: 2, lineDash: api.value(4) ? [4, 3] : null}, silent: true});
    }
    return {type: 'group', children: children};
  }

  const bars = ms.map((m, i) => {
    const slip = m.state === 'late' ? t(m.actual) : m.state === 'overdue' ? today : null;
    return {value: [t(m.from), t(m.planned), i, slip, m.state === 'overdue' ? 1 : 0], row: i,
      itemStyle: {color: C[m.state]}};
  });
  const baselines = ms.flatMap((m, i) => m.replanned ? [{value: [t(m.baseline), i], row: i}] : []);
  const actuals = ms.flatMap((m, i) => m.actual ? [{value: [t(m.actual), i], row: i}] : []);

  el.style.height = `${g.height}px`;
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: beaconTooltipOption('item', tooltip),
    legend: {top: 0, left: 'center', data: [L.baseline, L.planned, L.actual]},
    grid: {left: 10, right: 30, top: 46, bottom: 24, containLabel: true},
    xAxis: {type: 'time', min: lo - pad, max: hi + pad, splitLine: {show: true, lineStyle: {color: '#eef0f3'}},
      axisLabel: {hideOverlap: true}},
    yAxis: {type: 'category', inverse: true, data: ms.map(m => m.name),
      axisTick: {show: false}, axisLabel: {width: 160, overflow: 'truncate'}},
    series: [
      {type: 'custom', name: L.planned, renderItem: renderBar, itemStyle: {color: C.planned},
        encode: {x: [0, 1], y: 2}, data: bars, z: 1},
      {type: 'scatter', name: L.baseline, symbol: 'diamond', symbolSize: 15, z: 3,
        itemStyle: {color: '#ffffff', borderColor: GREY, borderWidth: 2}, data: baselines},
      {type: 'scatter', name: L.actual, symbol: 'circle', symbolSize: 12, z: 4,
        itemStyle: {color: INK, borderColor: '#ffffff', borderWidth: 2}, data: actuals},
      // today on a series of its own, left out of the legend so it cannot be hidden
      {type: 'scatter', name: L.today, data: [], silent: true,
        markLine: {silent: true, symbol: 'none', animation: false,
          lineStyle: {color: '#d63939', type: 'dashed', width: 1.5},
          label: {formatter: L.today, position: 'start', color: '#d63939'},
          data: [{xAxis: today}]}},
    ],
  });
  window.addEventListener('resize', () => chart.resize());
})();
