// Every owner's load as bars, heaviest first, with the average as a line.
(function () {
  const element = document.getElementById('load-chart');
  if (!element || !window.echarts) {
    return;
  }
  const owners = element.dataset.owners ? element.dataset.owners.split('|') : [];
  const loads = element.dataset.loads ? element.dataset.loads.split(',').map(Number) : [];
  const average = Number(element.dataset.average);
  // A bar a person: the chart grows with the team instead of stretching two bars over a fixed height.
  element.style.height = Math.max(90, owners.length * 30 + 30) + 'px';
  const chart = echarts.init(element);
  chart.setOption({
    animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    grid: {left: 130, right: 50, top: 8, bottom: 8},
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
    xAxis: {type: 'value', axisLabel: {show: false}, splitLine: {show: false}},
    yAxis: {type: 'category', inverse: true, data: owners},
    series: [{
      type: 'bar', name: 'Load', data: loads, color: '#1f4e5f', label: {show: true, position: 'right'},
      markLine: {symbol: 'none', data: [{xAxis: average, name: 'Average'}], label: {formatter: 'avg {c}'},
        lineStyle: {color: '#b45309', type: 'dashed'}},
    }],
  });
  window.addEventListener('resize', () => chart.resize());
})();
