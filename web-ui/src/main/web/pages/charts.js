// Chart.js, registered with only what the pages draw (tree-shaken by the bundler).
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
);

const drawn = new Map();

/** Draws (or redraws) a chart on the canvas with this id. Values are ether for drawing; tables show exact wei. */
export function chart(id, type, labels, values, label) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  drawn.get(id)?.destroy();
  drawn.set(
    id,
    new Chart(canvas, {
      type,
      data: { labels, datasets: [{ label, data: values, backgroundColor: ['#2f6f5e', '#d08c2b', '#5b6fb3', '#b35b6f', '#6fb35b'] }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: type !== 'bar' } },
        scales: type === 'bar' ? { y: { ticks: { callback: (value) => `${Number(value).toPrecision(3)} ETH` } } } : {},
      },
    }),
  );
}

const COLOURS = ['#2f6f5e', '#d08c2b', '#5b6fb3', '#b35b6f', '#6fb35b'];

/**
 * One series per token, never added up: {@code series} is [{symbol, values}] with one value (whole units, for
 * drawing only; null where the token has none) per label. A bar chart gives each token its own axis, ticked in its
 * symbol; a doughnut gives each token its own ring.
 */
export function tokenChart(id, type, labels, series) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  drawn.get(id)?.destroy();
  const bar = type === 'bar';
  const scales = {};
  if (bar) {
    series.forEach((s, i) => {
      scales[`y${i}`] = {
        position: i % 2 === 0 ? 'left' : 'right',
        beginAtZero: true,
        grid: { drawOnChartArea: i === 0 },
        ticks: { callback: (value) => `${Number(value).toPrecision(3)} ${s.symbol}` },
      };
    });
  }
  drawn.set(
    id,
    new Chart(canvas, {
      type,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.symbol,
          data: s.values,
          backgroundColor: bar ? COLOURS[i % COLOURS.length] : COLOURS,
          ...(bar ? { yAxisID: `y${i}` } : {}),
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: true } },
        scales,
      },
    }),
  );
  canvas.dataset.series = series.map((s) => s.symbol).join(' ');
}

/**
 * Measured availability per SLA window (percent, one point per window, gaps where nothing was measured) against the
 * promised target, and the penalty each window paid (ether, on a second axis).
 */
export function slaChart(id, labels, availability, target, penalties) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  drawn.get(id)?.destroy();
  drawn.set(
    id,
    new Chart(canvas, {
      data: {
        labels,
        datasets: [
          { type: 'line', label: 'Measured availability (%)', data: availability, borderColor: '#2f6f5e', backgroundColor: '#2f6f5e',
            spanGaps: false, yAxisID: 'percent' },
          { type: 'line', label: 'Promised (%)', data: labels.map(() => target), borderColor: '#d08c2b', borderDash: [6, 4],
            pointRadius: 0, yAxisID: 'percent' },
          { type: 'bar', label: 'Penalty paid (ETH)', data: penalties, backgroundColor: '#b35b6f', yAxisID: 'ether' },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          percent: { position: 'left', suggestedMin: 90, max: 100, ticks: { callback: (value) => `${value} %` } },
          ether: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
            ticks: { callback: (value) => `${Number(value).toPrecision(2)} ETH` } },
        },
      },
    }),
  );
}
