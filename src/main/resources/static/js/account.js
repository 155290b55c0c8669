// Draws the account's ARR over time from the numbers the page carries in data attributes.
(() => {
  const element = document.getElementById('arr-chart');
  if (!element || !window.echarts) {
    return;
  }
  const months = element.dataset.months ? element.dataset.months.split(',') : [];
  const values = element.dataset.values ? element.dataset.values.split(',').map(Number) : [];
  const chart = echarts.init(element);
  chart.setOption({
    // The line draws itself in over a second; people who asked their system for less motion get it drawn at once.
    animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    grid: {left: 60, right: 16, top: 16, bottom: 28},
    tooltip: {trigger: 'axis', valueFormatter: (v) => '$' + Math.round(v).toLocaleString()},
    xAxis: {type: 'category', data: months},
    yAxis: {type: 'value', axisLabel: {formatter: (v) => '$' + (v >= 1000 ? Math.round(v / 1000) + 'k' : v)}},
    series: [{type: 'line', step: 'end', data: values, areaStyle: {opacity: 0.15}, color: '#1f4e5f'}],
  });
  window.addEventListener('resize', () => chart.resize());
})();

// Draws weekly active users and logins once the usage panel has been loaded into the page.
function drawUsageChart() {
  const element = document.getElementById('usage-chart');
  if (!element || !window.echarts) {
    return;
  }
  const split = (value) => (value ? value.split(',') : []);
  const chart = echarts.init(element);
  chart.setOption({
    grid: {left: 48, right: 48, top: 28, bottom: 28},
    legend: {top: 0, data: ['Weekly active users (peak day)', 'Logins']},
    tooltip: {trigger: 'axis'},
    xAxis: {type: 'category', data: split(element.dataset.weeks)},
    yAxis: [{type: 'value', name: 'users'}, {type: 'value', name: 'logins', splitLine: {show: false}}],
    series: [
      {name: 'Weekly active users (peak day)', type: 'line', data: split(element.dataset.active).map(Number), color: '#1f4e5f'},
      {name: 'Logins', type: 'bar', yAxisIndex: 1, data: split(element.dataset.logins).map(Number), color: '#9ec5d3'},
    ],
  });
  window.addEventListener('resize', () => chart.resize());
}

// The health chart's options: the stored scores on a time axis (a day without a score is a gap in time, so weekly
// scores a year back and daily ones this month sit at their true distance), over the Red/Yellow/Green bands, with a
// line where the scorecard version changed.
function healthChartOptions(data, reducedMotion) {
  const band = (from, to, color) => [{yAxis: from, itemStyle: {color}}, {yAxis: to}];
  const day = (value) => new Date(value).toLocaleDateString('en-GB', {day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC'});
  return {
    animation: !reducedMotion,
    grid: {left: 36, right: 16, top: 24, bottom: 28},
    tooltip: {
      trigger: 'axis',
      formatter: (params) => params.map((p) => day(p.value[0]) + ': ' + (p.value[1] == null ? '—' : p.value[1].toFixed(1))).join('<br>'),
    },
    xAxis: {type: 'time', min: data.from, max: data.to, axisLabel: {hideOverlap: true}},
    yAxis: {type: 'value', min: 0, max: 100, interval: 20},
    series: [{
      name: 'Score',
      type: 'line',
      data: data.points,
      showSymbol: data.points.length < 40,
      color: '#1f4e5f',
      markArea: {
        silent: true,
        data: [
          band(0, data.red, 'rgba(220, 53, 69, 0.10)'),
          band(data.red, data.yellow, 'rgba(255, 193, 7, 0.14)'),
          band(data.yellow, 100, 'rgba(25, 135, 84, 0.10)'),
        ],
      },
      markLine: {
        symbol: 'none',
        lineStyle: {color: '#6c757d', type: 'dashed'},
        label: {formatter: (p) => p.name, position: 'insideEndTop'},
        data: data.versions.map((v) => ({name: v.label, xAxis: v.day})),
      },
    }],
  };
}

// Draws the daily health score over the Red/Yellow/Green bands of the account's scorecard, with a line where the
// scorecard version changed, once the health panel has been loaded into the page.
function drawHealthChart() {
  const element = document.getElementById('health-chart');
  if (!element || !window.echarts) {
    return;
  }
  const data = JSON.parse(element.dataset.chart);
  const chart = echarts.init(element);
  chart.setOption(healthChartOptions(data, window.matchMedia('(prefers-reduced-motion: reduce)').matches));
  window.addEventListener('resize', () => chart.resize());
}

// The usage and health panels arrive through htmx; draw their charts once they are in the page (the Content Security
// Policy allows no inline scripts to do it).
document.addEventListener('htmx:afterSettle', () => {
  for (const [id, draw] of [['usage-chart', drawUsageChart], ['health-chart', drawHealthChart]]) {
    const element = document.getElementById(id);
    if (element && !element.dataset.drawn) {
      element.dataset.drawn = 'true';
      draw();
    }
  }
});
