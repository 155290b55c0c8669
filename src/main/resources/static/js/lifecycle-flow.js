// The journey's flow as a Sankey: from each stage the accounts entered in the period (left) to where they went next
// (right: a stage, no stage, or still there). Clicking a band opens the accounts behind it.
(function () {
  const element = document.getElementById('flow-sankey');
  const source = document.getElementById('flow-data');
  if (!element || !source || !window.echarts) {
    return;
  }
  const data = JSON.parse(source.textContent);
  const all = data.stages || [];
  const stages = all.filter((s) => s.entered > 0);
  // Each stage keeps its color on both sides, whatever the filters.
  const palette = ['#1f4e5f', '#3a7ca5', '#2e8b57', '#c58b00', '#c62828', '#495057', '#7b4f9d', '#8d6e63'];
  const colorOf = (key) => palette[Math.max(0, all.findIndex((s) => s.key === key)) % palette.length];
  if (stages.length === 0) {
    element.classList.add('d-none');
    document.getElementById('flow-empty').classList.remove('d-none');
    return;
  }
  const url = (stage, extra) => '/lifecycle/flow/accounts?' + data.query + '&stage=' + encodeURIComponent(stage) + extra;
  // One column of stages entered and one of destinations, so that moves back (Renewal → Adoption) draw as bands
  // rather than the cycles a Sankey cannot lay out.
  const nodes = new Map();
  const node = (name, depth, color) => {
    if (!nodes.has(name)) {
      nodes.set(name, {name, depth, itemStyle: color ? {color} : undefined});
    }
    return name;
  };
  const links = [];
  stages.forEach((s) => {
    const from = node(s.name, 0, colorOf(s.key));
    s.movedTo.forEach((m) => {
      const to = m.stage == null ? node('→ No stage', 1, '#adb5bd') : node('→ ' + m.name, 1, colorOf(m.stage));
      links.push({source: from, target: to, value: m.accounts,
        url: url(s.key, '&movedTo=' + encodeURIComponent(m.stage == null ? 'none' : m.stage))});
    });
    if (s.stillThere > 0) {
      links.push({source: from, target: node('Still there', 1, '#6c757d'), value: s.stillThere,
        url: url(s.key, '&still=true')});
    }
  });
  const chart = echarts.init(element);
  chart.setOption({
    animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    tooltip: {
      trigger: 'item',
      formatter: (p) => p.dataType === 'edge'
        ? `${p.data.source} ${p.data.target.startsWith('→') ? '' : '→ '}${p.data.target}: ${p.data.value.toLocaleString()} accounts`
        : `${p.name}: ${p.value.toLocaleString()} accounts`,
    },
    series: [{
      type: 'sankey', left: 8, right: 140, top: 8, bottom: 8, nodeGap: 10, nodeAlign: 'left', draggable: false,
      data: Array.from(nodes.values()), links,
      label: {formatter: (p) => `${p.name} (${p.value.toLocaleString()})`},
      lineStyle: {color: 'gradient', opacity: 0.35},
      emphasis: {focus: 'adjacency'},
    }],
  });
  chart.on('click', (p) => {
    if (p.dataType === 'edge' && p.data.url) {
      window.location.href = p.data.url;
    }
  });
  window.addEventListener('resize', () => chart.resize());
})();
