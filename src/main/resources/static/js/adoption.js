// The adoption page's chart: the team's figures per week; a week without data leaves a gap, not a zero.
(function () {
  const holder = document.getElementById('adoption-data');
  const element = document.getElementById('adoption-chart');
  if (!holder || !element || !window.echarts) {
    return;
  }
  const data = JSON.parse(holder.dataset.chart);
  const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const series = [
    ['Sign-ins', 'signIns'],
    ['Accounts viewed', 'accountsViewed'],
    ['Sentiment recorded', 'sentiments'],
    ['Overrides set', 'overrides'],
    ['CTAs worked', 'ctasWorked'],
  ];
  const chart = echarts.init(element);
  chart.setOption({
    animation: animation,
    grid: {left: 40, right: 10, top: 30, bottom: 30},
    legend: {top: 0, textStyle: {fontSize: 11}},
    tooltip: {trigger: 'axis', valueFormatter: (v) => v == null ? 'no data' : String(v)},
    xAxis: {type: 'category', data: data.weeks.map((w) => String(w).substring(5)), axisLabel: {fontSize: 10}},
    yAxis: {type: 'value', minInterval: 1},
    series: series.map(([name, key]) => ({
      name: name,
      type: 'line',
      connectNulls: false,
      data: data.totals.map((week) => week[key]),
    })),
  });
  window.addEventListener('resize', () => chart.resize());
})();
