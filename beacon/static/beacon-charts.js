// Small wrappers so every page draws its ECharts the same way.
function beaconChart(id, option) {
  const el = document.getElementById(id);
  if (!el) return null;
  const chart = echarts.init(el);
  chart.setOption(Object.assign({tooltip: {trigger: 'axis'}, grid: {left: 60, right: 20, bottom: 40}}, option));
  window.addEventListener('resize', () => chart.resize());
  return chart;
}
function beaconBar(id, categories, series) {
  return beaconChart(id, {legend: {}, xAxis: {type: 'category', data: categories, axisLabel: {interval: 0, rotate: 20}},
    yAxis: {type: 'value'}, series: series.map(s => Object.assign({type: 'bar'}, s))});
}
function beaconLine(id, categories, series) {
  return beaconChart(id, {legend: {}, xAxis: {type: 'category', data: categories}, yAxis: {type: 'value'},
    series: series.map(s => Object.assign({type: 'line', smooth: true}, s))});
}
function beaconPie(id, data) {
  return beaconChart(id, {tooltip: {trigger: 'item'}, series: [{type: 'pie', radius: ['35%', '70%'], data: data}]});
}
