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
  return beaconChart(id, {xAxis: {type: 'category', data: categories, axisLabel: {interval: 0, rotate: 15}},
    yAxis: {type: 'value'}, series: series.map(s => Object.assign({type: 'bar'}, s))});
}
function beaconLine(id, categories, series) {
  return beaconChart(id, {xAxis: {type: 'category', data: categories}, yAxis: {type: 'value'},
    series: series.map(s => Object.assign({type: 'line', smooth: true}, s))});
}
function beaconPie(id, data) {
  return beaconChart(id, {tooltip: {trigger: 'item'}, series: [{type: 'pie', radius: ['35%', '70%'], data: data}]});
}
