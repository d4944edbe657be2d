// Small wrappers so every page draws its ECharts the same way. Data reaches the page only as
// JSON in a json_script element, and every tooltip is built by beaconTip: text nodes in
// elements, never HTML from a string, so no name or value from data can become markup. (The
// Content-Security-Policy refuses inline style attributes too, which ECharts' own tooltip
// markup and its tooltip arrow carry: colours are set through the CSSOM instead, and
// `confine` leaves the arrow out.)
function beaconTip(lines) {
  const box = document.createElement('div');
  for (const line of lines) {
    const row = box.appendChild(document.createElement('div'));
    if (typeof line.colour === 'string') {
      const marker = row.appendChild(document.createElement('span'));
      marker.className = 'chart-marker';
      marker.style.backgroundColor = line.colour;
    }
    row.appendChild(document.createElement(line.bold ? 'b' : 'span')).textContent = line.text;
  }
  return box;
}
function beaconValue(value) {
  if (Array.isArray(value)) return value.map(beaconValue).join(', ');
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'number' ? echarts.format.addCommas(value) : String(value);
}
// ECharts' default tooltip, as text: the axis value and each series' value, or one item's
// name and value (and share, in a pie)
function beaconTooltip(params) {
  if (Array.isArray(params)) {
    return beaconTip([{text: params.length ? params[0].axisValueLabel : '', bold: true},
      ...params.map(p => ({colour: p.color, text: `${p.seriesName}: ${beaconValue(p.value)}`}))]);
  }
  const share = params.percent === undefined ? '' : ` (${params.percent}%)`;
  const name = params.name ? `${params.name}: ` : '';
  const lines = [{colour: params.color, text: `${name}${beaconValue(params.value)}${share}`}];
  // a series given no name is called 'series\0<n>' inside ECharts
  if (params.seriesName && !params.seriesName.includes('\0')) lines.unshift({text: params.seriesName, bold: true});
  return beaconTip(lines);
}
function beaconData(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}
function beaconTooltipOption(trigger, formatter) {
  return {trigger: trigger, confine: true, formatter: formatter || beaconTooltip};
}
function beaconChart(id, option) {
  const el = document.getElementById(id);
  if (!el) return null;
  const chart = echarts.init(el);
  chart.setOption(Object.assign({tooltip: beaconTooltipOption('axis'), legend: {top: 0},
    grid: {left: 70, right: 20, top: 40, bottom: 60}}, option));
  window.addEventListener('resize', () => chart.resize());
  return chart;
}
function beaconBar(id, categories, series) {
  return beaconChart(id, {xAxis: {type: 'category', data: categories, axisLabel: {interval: 0, rotate: 15, width: 140, overflow: 'truncate'}},
    yAxis: {type: 'value'}, series: series.map(s => Object.assign({type: 'bar'}, s))});
}
// A series with yAxisIndex: 1 gets its own axis on the right (taxes beside output).
function beaconLine(id, categories, series) {
  const axes = series.some(s => s.yAxisIndex === 1) ? [{type: 'value'}, {type: 'value'}] : {type: 'value'};
  return beaconChart(id, {xAxis: {type: 'category', data: categories}, yAxis: axes,
    grid: {left: 70, right: 70, top: 40, bottom: 60},
    series: series.map(s => Object.assign({type: 'line', smooth: true}, s))});
}
function beaconPie(id, data) {
  return beaconChart(id, {tooltip: beaconTooltipOption('item'), series: [{type: 'pie', radius: ['35%', '70%'], data: data}]});
}
// One series of [x, y] points per group (class), both axes numeric; log axes for figures
// that span orders of magnitude (land from 5 to 3,000 mu).
function beaconScatter(id, series, xName, yName, log) {
  const type = log ? 'log' : 'value';
  return beaconChart(id, {tooltip: beaconTooltipOption('item'),
    xAxis: {type: type, name: xName, nameLocation: 'middle', nameGap: 28, scale: true},
    yAxis: {type: type, name: yName, scale: true},
    series: series.map(s => Object.assign({type: 'scatter', symbolSize: 5, large: true}, s))});
}

// Each page's charts, drawn when the page carries their data element.
const BEACON_CHARTS = {
  // the zone dashboard
  'chart-data': d => {
    beaconBar('chart-parks', d.parks, [{name: d.labels.enterprises, data: d.park_counts}, {name: d.labels.high_tech, data: d.park_high_tech}]);
    beaconPie('chart-sections', d.sections);
    beaconLine('chart-trend', d.years, [{name: d.labels.output, data: d.output}, {name: d.labels.tax, data: d.tax, yAxisIndex: 1}]);
  },
  'enterprise-trend': t => {
    beaconLine('chart-trend', t.years, [{name: t.labels.output, data: t.output}, {name: t.labels.tax, data: t.tax, yAxisIndex: 1}]);
  },
  'scheme-trend': t => {
    beaconBar('chart-trend-classes', t.years, t.classes.map(c => Object.assign({stack: 'classes'}, c)));
    beaconLine('chart-trend-per-mu', t.years, [{name: t.labels.tax_per_mu, data: t.tax_per_mu}, {name: t.labels.value_added_per_mu, data: t.value_added_per_mu, yAxisIndex: 1}]);
  },
  'run-charts': c => {
    beaconPie('chart-classes', c.classes);
    if (c.score_bins) beaconBar('chart-scores', c.score_bins, [{name: c.labels.enterprises, data: c.score_counts}]);
    beaconBar('chart-park-classes', c.parks, c.park_classes);
    if (c.scatter) beaconScatter('chart-scatter', c.scatter, c.labels.land, c.labels.tax_per_mu, true);
  },
  'funnel-data': f => {
    beaconBar('chart-funnel', f.stages, [{name: f.label, data: f.reached}]);
  },
  // a chain's links in columns by segment; a node's tooltip is its name and enterprises
  'chain-graph': g => {
    const chart = beaconChart('chain-map', {legend: undefined, grid: undefined,
      tooltip: beaconTooltipOption('item', p => p.dataType === 'node' ? beaconTip([{colour: p.color, text: `${p.data.name}: ${beaconValue(p.data.value)}`}]) : ''),
      series: [{type: 'graph', layout: 'none', roam: true, data: g.nodes, links: g.edges,
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8, label: {position: 'right', fontSize: 11},
        lineStyle: {color: '#aaa', curveness: 0.15}}]});
    if (chart) chart.on('click', p => { if (p.dataType === 'node') window.location = p.data.url; });
  },
};
for (const [id, draw] of Object.entries(BEACON_CHARTS)) {
  const data = beaconData(id);
  if (data) draw(data);
}
