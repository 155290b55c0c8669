// The dry run's replay as weekly bars: CTAs the playbook would have made each week of the past year. The dry run
// arrives by htmx after the page has loaded, so the chart is drawn whenever content with it comes in.
(function () {
  function draw(root) {
    const element = root.querySelector ? (root.id === 'replay-chart' ? root : root.querySelector('#replay-chart')) : null;
    if (!element || element.dataset.drawn || !window.echarts) {
      return;
    }
    element.dataset.drawn = 'true';
    const weeks = element.dataset.weeks ? element.dataset.weeks.split(',') : [];
    const ctas = element.dataset.ctas ? element.dataset.ctas.split(',').map(Number) : [];
    const chart = echarts.init(element);
    chart.setOption({
      animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      grid: {left: 40, right: 16, top: 16, bottom: 30},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, formatter: (p) => 'Week of ' + p[0].name + ': ' + p[0].value + ' CTAs'},
      xAxis: {type: 'category', data: weeks, axisLabel: {formatter: (v) => v.slice(5)}},
      yAxis: {type: 'value', minInterval: 1},
      series: [{type: 'bar', name: 'CTAs', data: ctas, color: '#1f4e5f'}],
    });
    window.addEventListener('resize', () => chart.resize());
  }
  document.addEventListener('htmx:load', (event) => draw(event.detail.elt));
  document.addEventListener('DOMContentLoaded', () => draw(document));
})();
