// The book's accounts by color each week, stacked, with each color's ARR in the tooltip, drawn when htmx brings the
// history in after the priorities; and the team picker.
(function () {
  const picker = document.querySelector('[data-testid="owner-select"]');
  if (picker) {
    picker.addEventListener('change', () => picker.form.submit());
  }
  const colors = [
    ['red', 'Red', '#dc3545'], ['yellow', 'Yellow', '#ffc107'], ['green', 'Green', '#198754'],
    ['black', 'Black', '#212529'], ['unscored', 'Unscored', '#adb5bd'],
  ];
  const money = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', maximumFractionDigits: 0});

  function draw() {
    const element = document.getElementById('cockpit-trend');
    if (!element || !window.echarts || !element.dataset.days || echarts.getInstanceByDom(element)) {
      return;
    }
    const days = element.dataset.days.split(',');
    const pairs = (name) => (element.dataset[name] || '').split(',').map((p) => p.split(':').map(Number));
    const series = colors.map(([key, name, color]) => ({
      name, type: 'bar', stack: 'book', color, barMaxWidth: 28,
      data: pairs(key).map(([accounts, arr]) => ({value: accounts, arr})),
    })).filter((s) => s.name !== 'Unscored' || s.data.some((d) => d.value > 0));
    const chart = echarts.init(element);
    chart.setOption({
      animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      grid: {left: 36, right: 8, top: 28, bottom: 24},
      legend: {top: 0, itemWidth: 12, itemHeight: 10, textStyle: {fontSize: 11}},
      tooltip: {
        trigger: 'axis', axisPointer: {type: 'shadow'},
        formatter: (items) => items[0].axisValue + '<br>' + items.map((i) =>
          i.marker + i.seriesName + ': ' + i.value + ' (' + money.format(i.data.arr) + ')').join('<br>'),
      },
      xAxis: {type: 'category', data: days.map((d) => d.substring(5))},
      yAxis: {type: 'value', minInterval: 1},
      series,
    });
    window.addEventListener('resize', () => chart.resize());
  }

  draw();
  document.body.addEventListener('htmx:afterSettle', draw);
})();
