// Small wrappers so every page draws its ECharts the same way.
function beaconChart(id, option) {
  const el = document.getElementById(id);
  if (!el) return null;
  const chart = echarts.init(el);
  chart.setOption(Object.assign({tooltip: {trigger: 'axis'}, legend: {top: 0},
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
  return beaconChart(id, {tooltip: {trigger: 'item'}, series: [{type: 'pie', radius: ['35%', '70%'], data: data}]});
}
// One series of [x, y] points per group (class), both axes numeric; log axes for figures
// that span orders of magnitude (land from 5 to 3,000 mu).
function beaconScatter(id, series, xName, yName, log) {
  const type = log ? 'log' : 'value';
  return beaconChart(id, {tooltip: {trigger: 'item'},
    xAxis: {type: type, name: xName, nameLocation: 'middle', nameGap: 28, scale: true},
    yAxis: {type: type, name: yName, scale: true},
    series: series.map(s => Object.assign({type: 'scatter', symbolSize: 5, large: true}, s))});
}
