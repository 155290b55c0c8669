// The journey's stages as a funnel of the accounts in each now, in the journey's order.
(function () {
  const element = document.getElementById('stage-funnel');
  if (!element || !window.echarts) {
    return;
  }
  const stages = element.dataset.stages ? element.dataset.stages.split('|') : [];
  const accounts = element.dataset.accounts ? element.dataset.accounts.split(',').map(Number) : [];
  const arr = element.dataset.arr ? element.dataset.arr.split(',').map(Number) : [];
  const chart = echarts.init(element);
  chart.setOption({
    animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    grid: {left: 110, right: 40, top: 8, bottom: 8},
    tooltip: {
      trigger: 'axis', axisPointer: {type: 'shadow'},
      formatter: (p) => p[0].name + ': ' + p[0].value.toLocaleString() + ' accounts, $'
        + Math.round(arr[p[0].dataIndex]).toLocaleString() + ' ARR',
    },
    xAxis: {type: 'value', axisLabel: {show: false}, splitLine: {show: false}},
    yAxis: {type: 'category', inverse: true, data: stages},
    series: [{type: 'bar', data: accounts, color: '#1f4e5f', label: {show: true, position: 'right'}}],
  });
  window.addEventListener('resize', () => chart.resize());
})();
