// Chart.js, registered with only what the pages draw (tree-shaken by the bundler).
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, Tooltip);

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
