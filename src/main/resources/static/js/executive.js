// The executive dashboard's charts; a click on a bar or band opens the accounts behind it.
(function () {
  const holder = document.getElementById('executive-data');
  if (!holder || !window.echarts) {
    return;
  }
  const data = JSON.parse(holder.dataset.charts);
  const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const colors = {red: '#dc3545', yellow: '#ffc107', green: '#198754', black: '#212529'};
  const tier = data.tier ? '&tier=' + encodeURIComponent(data.tier) : '';
  const money = (v) => v == null ? 'no data' : '$' + Math.round(Number(v)).toLocaleString('en-US');
  const charts = [];

  function chart(id, option, click) {
    const element = document.getElementById(id);
    if (!element) {
      return;
    }
    const c = echarts.init(element);
    c.setOption(Object.assign({animation: animation}, option));
    if (click) {
      c.on('click', (params) => {
        const url = click(params);
        if (url) {
          window.location.href = url;
        }
      });
    }
    charts.push(c);
  }

  const month = (day) => String(day).substring(0, 7);
  const ttm = data.retention.trailingTwelveMonths;
  const lastMonth = month(new Date(Date.parse(ttm.to) - 86400000).toISOString());
  const steps = [
    ['Starting ARR', 'start', Number(ttm.startArr), 0],
    ['Expansion', 'expansion', Number(ttm.expansion), Number(ttm.startArr)],
    ['Contraction', 'contraction', Number(ttm.contraction),
      Number(ttm.startArr) + Number(ttm.expansion) - Number(ttm.contraction)],
    ['Churn', 'churn', Number(ttm.churn), Number(ttm.endingArr)],
    ['Ending ARR', 'ending', Number(ttm.endingArr), 0],
    ['New ARR', 'new', Number(ttm.newArr), 0],
  ];
  chart('waterfall-chart', {
    title: {text: 'Waterfall, trailing 12 months', textStyle: {fontSize: 12}},
    grid: {left: 70, right: 10, top: 30, bottom: 30},
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'},
      formatter: (p) => p.filter((s) => s.seriesName === 'ARR').map((s) => s.name + ': ' + money(s.value)).join('')},
    xAxis: {type: 'category', data: steps.map((s) => s[0]), axisLabel: {fontSize: 10, interval: 0}},
    yAxis: {type: 'value', axisLabel: {formatter: (v) => '$' + (v / 1000).toLocaleString('en-US') + 'k'}},
    series: [
      {type: 'bar', stack: 'w', name: 'base', itemStyle: {color: 'transparent'}, data: steps.map((s) => s[3]),
        tooltip: {show: false}},
      {type: 'bar', stack: 'w', name: 'ARR', data: steps.map((s, i) => ({value: s[2],
        itemStyle: {color: ['#1f4e5f', '#198754', '#fd7e14', '#dc3545', '#1f4e5f', '#6c757d'][i]}}))},
    ],
  }, (p) => p.seriesName === 'ARR'
    ? '/insight/executive/accounts?figure=retention&from=' + month(ttm.from) + '&to=' + lastMonth
      + '&movement=' + steps[p.dataIndex][1] + tier : null);

  const months = data.retention.months;
  chart('retention-chart', {
    title: {text: 'NRR and GRR per month', textStyle: {fontSize: 12}},
    grid: {left: 50, right: 10, top: 30, bottom: 30},
    legend: {top: 0, right: 0},
    tooltip: {trigger: 'axis', valueFormatter: (v) => v == null ? 'no data' : v.toFixed(2) + ' %'},
    xAxis: {type: 'category', data: months.map((m) => month(m.from))},
    yAxis: {type: 'value', scale: true, axisLabel: {formatter: '{value} %'}},
    series: [
      {type: 'line', name: 'NRR', data: months.map((m) => m.nrr == null ? null : Number(m.nrr) * 100), color: '#1f4e5f'},
      {type: 'line', name: 'GRR', data: months.map((m) => m.grr == null ? null : Number(m.grr) * 100), color: '#b45309'},
    ],
  }, (p) => '/insight/executive/accounts?figure=retention&from=' + months[p.dataIndex].from.substring(0, 7) + tier);

  const risk = data.risk;
  const riskColors = ['red', 'yellow', 'black'];
  chart('risk-chart', {
    title: {text: 'ARR at risk by renewal month (Black: no data)', textStyle: {fontSize: 12}},
    grid: {left: 70, right: 10, top: 30, bottom: 30},
    legend: {top: 0, right: 0},
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: money},
    xAxis: {type: 'category', data: risk.map((r) => r.label)},
    yAxis: {type: 'value', axisLabel: {formatter: (v) => '$' + (v / 1000).toLocaleString('en-US') + 'k'}},
    series: riskColors.map((c) => ({type: 'bar', stack: 'risk', name: c, color: colors[c],
      data: risk.map((r) => Number(r[c]))})),
  }, (p) => '/insight/executive/accounts?figure=at-risk&color=' + p.seriesName
    + '&renewalMonth=' + encodeURIComponent(risk[p.dataIndex].key) + tier);

  const points = data.distribution;
  const bands = ['red', 'yellow', 'green', 'black'];
  [['health-count-chart', 'Customers by color', (p, c) => p[c]],
    ['health-arr-chart', 'ARR by color', (p, c) => p[c + 'Arr'] == null ? null : Number(p[c + 'Arr'])]].forEach(([id, title, value]) => {
    chart(id, {
      title: {text: title, textStyle: {fontSize: 12}},
      grid: {left: 70, right: 10, top: 30, bottom: 30},
      legend: {top: 0, right: 0},
      tooltip: {trigger: 'axis', valueFormatter: id === 'health-arr-chart' ? money : undefined},
      xAxis: {type: 'category', data: points.map((p) => p.day)},
      yAxis: {type: 'value'},
      series: bands.map((c) => ({type: 'line', stack: 'h', areaStyle: {}, symbolSize: 3, name: c, color: colors[c],
        data: points.map((p) => value(p, c))})),
    }, (p) => '/insight/executive/accounts?figure=health&day=' + points[p.dataIndex].day + '&color=' + p.seriesName + tier);
  });

  const upcoming = data.upcoming;
  chart('forecast-chart', {
    title: {text: 'Up for renewal and expected to renew', textStyle: {fontSize: 12}},
    grid: {left: 70, right: 10, top: 30, bottom: 30},
    legend: {top: 0, right: 0},
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: money},
    xAxis: {type: 'category', data: upcoming.map((u) => u.month)},
    yAxis: {type: 'value', axisLabel: {formatter: (v) => '$' + (v / 1000).toLocaleString('en-US') + 'k'}},
    series: [
      {type: 'bar', name: 'Up for renewal', data: upcoming.map((u) => Number(u.upForRenewal)), color: '#adb5bd'},
      {type: 'bar', name: 'Expected to renew', data: upcoming.map((u) => u.expected == null ? null : Number(u.expected)),
        color: '#1f4e5f'},
    ],
  }, (p) => '/insight/executive/accounts?figure=renewals&month=' + upcoming[p.dataIndex].month + tier);

  const productivity = data.productivity;
  const csms = productivity.csms;
  const measures = [['Touches', 'touches', 'touches', '#1f4e5f'], ['CTAs made', 'ctasOpened', 'opened', '#adb5bd'],
    ['CTAs closed', 'ctasClosed', 'closed', '#198754'], ['Turned Red', 'redChanges', 'red', '#dc3545']];
  chart('productivity-chart', {
    title: {text: 'Per CSM, last ' + productivity.days + ' days', textStyle: {fontSize: 12}},
    grid: {left: 40, right: 10, top: 30, bottom: 30},
    legend: {top: 0, right: 0},
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
    xAxis: {type: 'category', data: csms.map((r) => r.label), axisLabel: {fontSize: 10, interval: 0}},
    yAxis: {type: 'value', minInterval: 1},
    series: measures.map(([name, field, , color]) => ({type: 'bar', name: name, color: color,
      data: csms.map((r) => r[field])})),
  }, (p) => '/insight/executive/accounts?figure=productivity&owner=' + encodeURIComponent(csms[p.dataIndex].key)
    + '&days=' + productivity.days + '&measure=' + measures[p.seriesIndex][2] + tier);

  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
})();
