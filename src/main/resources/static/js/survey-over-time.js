// A survey's NPS and response rate per month asked; a month without data leaves a gap, not a zero.
(function () {
  const holder = document.getElementById('nps-over-time-data');
  const element = document.getElementById('nps-over-time-chart');
  if (!holder || !element || !window.echarts) {
    return;
  }
  const months = JSON.parse(holder.dataset.chart);
  const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const chart = echarts.init(element);
  chart.setOption({
    animation: animation,
    grid: {left: 45, right: 45, top: 30, bottom: 30},
    legend: {top: 0, textStyle: {fontSize: 11}},
    tooltip: {trigger: 'axis', valueFormatter: (v) => v == null ? 'no data' : String(v)},
    xAxis: {type: 'category', data: months.map((m) => m.period), axisLabel: {fontSize: 10}},
    yAxis: [
      {type: 'value', name: 'NPS', min: -100, max: 100},
      {type: 'value', name: 'Response rate %', min: 0, max: 100},
    ],
    series: [
      {name: 'NPS', type: 'line', connectNulls: false, data: months.map((m) => m.nps.score)},
      {
        name: 'Response rate %',
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: months.map((m) => m.responseRate == null ? null : Math.round(m.responseRate * 1000) / 10),
      },
    ],
  });
  window.addEventListener('resize', () => chart.resize());
})();
