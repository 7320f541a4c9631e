/* global document */
// The report's charts, drawn with Chart.js from the data the reporter worked out (counts and dates
// only, never a value). Only the parts of Chart.js used here are registered, so the bundle carries
// only those. Colours: the Okabe-Ito palette, told apart with colour blindness too.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const COLOURS = {
  critical: '#8f1d21',
  high: '#d55e00',
  medium: '#e69f00',
  low: '#56b4e9',
  development: '#009e73',
  test: '#56b4e9',
  staging: '#e69f00',
  production: '#d55e00',
  ci: '#cc79a7',
  unknown: '#7f7f7f',
};
const DAY_MS = 24 * 60 * 60 * 1000;

Chart.defaults.animation = false;
Chart.defaults.color = '#1f2328';
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Whole days from an ISO date to `now`; never negative (a clock behind the commit's). */
function daysSince(iso, now) {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS));
}

/** A horizontal bar chart grows with its bars, so that each label stays readable. */
function fitBars(canvas, count) {
  canvas.parentElement.style.height = `${Math.max(220, 90 + 30 * count)}px`;
}

const datasets = (series, extra = {}) =>
  series.map((s) => ({ label: s.name, data: s.values, backgroundColor: COLOURS[s.name] ?? '#7f7f7f', borderColor: COLOURS[s.name] ?? '#7f7f7f', maxBarThickness: 40, ...extra }));

function stackedBars(canvas, labels, series, horizontal) {
  const index = horizontal ? 'y' : 'x';
  const value = horizontal ? 'x' : 'y';
  if (horizontal) fitBars(canvas, labels.length);
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: datasets(series) },
    options: {
      indexAxis: index,
      responsive: true,
      maintainAspectRatio: false,
      scales: { [index]: { stacked: true }, [value]: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

/** The charts whose canvas the page has; `now` dates the ages (the reader's clock, not the scan's). */
export function drawCharts(data, now) {
  const canvas = (id) => document.getElementById(id);
  if (data.categoryEnvironment && canvas('chart-category-environment')) {
    const { labels, series } = data.categoryEnvironment;
    stackedBars(canvas('chart-category-environment'), labels, series, false);
  }
  if (data.repositories && canvas('chart-repositories')) {
    const { labels, series } = data.repositories;
    stackedBars(canvas('chart-repositories'), labels, series, true);
  }
  if (data.oldest && canvas('chart-age')) {
    const { labels, dates } = data.oldest;
    fitBars(canvas('chart-age'), labels.length);
    new Chart(canvas('chart-age'), {
      type: 'bar',
      data: { labels, datasets: [{ label: 'days since the oldest open finding was committed', data: dates.map((d) => daysSince(d, now)), backgroundColor: COLOURS.high, maxBarThickness: 40 }] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'days' } } },
        plugins: { legend: { display: false } },
      },
    });
  }
  if (data.trend && canvas('chart-trend')) {
    const { labels, series } = data.trend;
    new Chart(canvas('chart-trend'), {
      type: 'line',
      data: { labels, datasets: datasets(series, { tension: 0, pointRadius: 3 }) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  }
  // Ages in the text ("412 days ago"), from the same clock.
  for (const el of document.querySelectorAll('[data-since]')) {
    const days = daysSince(el.getAttribute('data-since'), now);
    el.textContent = `${days} day${days === 1 ? '' : 's'} ago`;
  }
}
