// Draws a backtest's ROC curve, calibration, threshold analysis and figures over time from the JSON the page carries.
(() => {
  const source = document.getElementById('backtest-data');
  if (!source || !window.echarts) {
    return;
  }
  const data = JSON.parse(source.textContent);
  const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const percent = (v) => (v == null ? '—' : Math.round(v * 1000) / 10 + '%');
  const charts = [];
  const draw = (id, option) => {
    const element = document.getElementById(id);
    if (!element) {
      return;
    }
    const chart = echarts.init(element);
    chart.setOption(Object.assign({animation, grid: {left: 48, right: 16, top: 32, bottom: 40}}, option));
    charts.push(chart);
  };

  draw('roc-chart', {
    tooltip: {trigger: 'item', formatter: (p) => p.seriesName === 'Score'
        ? `Red at ≤ ${p.data[2]}: ${percent(p.data[1])} of churn caught, ${percent(p.data[0])} of the rest flagged` : ''},
    xAxis: {type: 'value', min: 0, max: 1, name: 'retained flagged', nameLocation: 'middle', nameGap: 24},
    yAxis: {type: 'value', min: 0, max: 1, name: 'churn caught'},
    series: [
      {name: 'Score', type: 'line', showSymbol: false, color: '#1f4e5f',
        data: data.roc.map((p) => [p.falsePositiveRate, p.truePositiveRate, p.score < 0 ? 'none' : p.score])},
      {name: 'Coin toss', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]],
        lineStyle: {type: 'dashed', color: '#adb5bd'}, silent: true},
    ],
  });

  draw('calibration-chart', {
    tooltip: {trigger: 'axis', valueFormatter: percent},
    xAxis: {type: 'category', data: data.calibration.map((b) => `${b.from}–${b.to}`), name: 'score',
      nameLocation: 'middle', nameGap: 24},
    yAxis: {type: 'value', axisLabel: {formatter: (v) => Math.round(v * 100) + '%'}},
    series: [{name: 'Churned', type: 'bar', color: '#c62828', data: data.calibration.map((b) => b.churnRate)}],
  });

  draw('threshold-chart', {
    legend: {top: 0},
    tooltip: {trigger: 'axis', valueFormatter: percent},
    xAxis: {type: 'category', data: data.thresholds.map((t) => t.threshold), name: 'Red up to',
      nameLocation: 'middle', nameGap: 24},
    yAxis: {type: 'value', min: 0, max: 1, axisLabel: {formatter: (v) => Math.round(v * 100) + '%'}},
    series: [
      {name: 'Accuracy', type: 'line', showSymbol: false, color: '#1f4e5f', data: data.thresholds.map((t) => t.accuracy)},
      {name: 'Precision', type: 'line', showSymbol: false, color: '#c62828', data: data.thresholds.map((t) => t.precision)},
      {name: 'Recall', type: 'line', showSymbol: false, color: '#f2a900', data: data.thresholds.map((t) => t.recall)},
    ],
  });

  draw('time-chart', {
    legend: {top: 0},
    tooltip: {trigger: 'axis', valueFormatter: (v) => (v == null ? '—' : Math.round(v * 1000) / 1000)},
    xAxis: {type: 'category', data: data.byAsOf.map((d) => d.asOf)},
    yAxis: {type: 'value', min: 0, max: 1},
    series: [
      {name: 'ROC AUC', type: 'line', color: '#1f4e5f', data: data.byAsOf.map((d) => d.rocAuc)},
      {name: 'Accuracy', type: 'line', color: '#9ec5d3', data: data.byAsOf.map((d) => d.accuracy)},
    ],
  });

  window.addEventListener('resize', () => charts.forEach((chart) => chart.resize()));
})();
