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
