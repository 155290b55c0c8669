// The data sources page: copy buttons, the volume chart and the mapping form's rows.

// A button with data-copy="#input" copies that input's value, and says so for a moment.
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-copy]');
  if (!button) {
    return;
  }
  const input = document.querySelector(button.dataset.copy);
  if (!input) {
    return;
  }
  const done = () => {
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => { input.select(); });
  } else {
    // Plain http on another host has no clipboard API: select the text and use the older command.
    input.select();
    if (document.execCommand('copy')) {
      done();
    }
  }
});

// Draws stored, rejected and set-aside records per day from the numbers the page carries in data attributes.
(() => {
  const element = document.getElementById('volume-chart');
  if (!element || !window.echarts) {
    return;
  }
  const numbers = (value) => (value ? value.split(',').map(Number) : []);
  const chart = echarts.init(element);
  chart.setOption({
    animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    grid: {left: 48, right: 16, top: 32, bottom: 28},
    legend: {top: 0},
    tooltip: {trigger: 'axis'},
    xAxis: {type: 'category', data: element.dataset.days ? element.dataset.days.split(',') : []},
    yAxis: {type: 'value', minInterval: 1},
    series: [
      {name: 'Stored', type: 'bar', stack: 'day', data: numbers(element.dataset.stored), color: '#198754'},
      {name: 'Rejected', type: 'bar', stack: 'day', data: numbers(element.dataset.rejected), color: '#dc3545'},
      {name: 'Set aside', type: 'bar', stack: 'day', data: numbers(element.dataset.setAside), color: '#fd7e14'},
    ],
  });
  window.addEventListener('resize', () => chart.resize());
})();

// The mapping form: add a row from the template, remove a row, and number the key-feature boxes by row before
// sending, so the server knows which row each ticked box belongs to.
(() => {
  const form = document.querySelector('[data-testid="mapping-form"]');
  if (!form) {
    return;
  }
  const rows = form.querySelector('[data-mapping-rows]');
  const template = form.querySelector('[data-mapping-template]');
  form.addEventListener('click', (event) => {
    if (event.target.closest('[data-add-row]')) {
      const row = template.content.firstElementChild.cloneNode(true);
      rows.appendChild(row);
      row.querySelector('input[name="from"]').focus();
    } else if (event.target.closest('[data-remove-row]')) {
      event.target.closest('[data-mapping-row]').remove();
    }
  });
  form.addEventListener('submit', () => {
    rows.querySelectorAll('[data-mapping-row]').forEach((row, index) => {
      row.querySelector('input[name="keyFeature"]').value = String(index);
    });
  });
})();
