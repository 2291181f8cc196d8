// Insights: three charts drawn with the vendored Chart.js from the data the page carries.
let charts = [];

function css(name) {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

/** One dataset a stage, in its colour: `rows[j][i]` is the count of stage i in column j. */
function stacked(stages, labels, rows) {
  return {
    labels,
    datasets: stages.map((s, i) => ({ label: s.name, data: rows.map((row) => row[i]), backgroundColor: s.colour })),
  };
}

function draw() {
  const source = document.getElementById("insights-data");
  if (!source || !window.Chart || !document.getElementById("chart-funnel")) return;
  const data = JSON.parse(source.textContent);
  charts.forEach((chart) => chart.destroy());
  const { Chart } = window;
  Chart.defaults.color = css("--muted");
  Chart.defaults.borderColor = css("--line");
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const names = data.stages.map((s) => s.name);
  const colours = data.stages.map((s) => s.colour);
  const common = { responsive: true, maintainAspectRatio: false, animation: false };

  charts = [
    new Chart(document.getElementById("chart-funnel"), {
      type: "bar",
      data: { labels: names, datasets: [{ label: "People", data: data.funnel.map((f) => f.count), backgroundColor: colours }] },
      options: { ...common, indexAxis: "y", plugins: { legend: { display: false } },
        scales: { x: { ticks: { precision: 0 } } } },
    }),
    new Chart(document.getElementById("chart-weeks"), {
      type: "bar",
      data: stacked(data.stages, data.weeks.map((w) => w.start), data.weeks.map((w) => w.by_stage)),
      options: { ...common,
        scales: { x: { stacked: true, ticks: { maxTicksLimit: 12 } }, y: { stacked: true, ticks: { precision: 0 } } } },
    }),
    new Chart(document.getElementById("chart-outcomes"), {
      type: "bar",
      data: stacked(data.stages, data.outcomes.map((o) => o.label), data.outcomes.map((o) => o.by_stage)),
      options: { ...common, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } },
    }),
  ];
}

export function setupInsights() {
  if (window.Chart) draw(); else window.addEventListener("load", draw);
  document.addEventListener("rapport:refreshed", draw);
}
