/* global document, window */
// The script of the HTML report (src/reporters/html.ts), run in the reader's browser: draws the
// charts from the report's data island and makes the findings table sortable and filterable.
// Bundled with Chart.js by scripts/reportPage.mjs and inlined into every report, so the page needs
// no network. Plain JavaScript: the project's TypeScript is checked for Node, not for the DOM.
import { drawCharts } from './charts.js';
import { wireFindingsTable } from './table.js';

const data = JSON.parse(document.getElementById('keyfence-data').textContent);
const table = document.getElementById('findings');
if (table) wireFindingsTable(table, document.getElementById('filter'), document.getElementById('severity-filter'), document.getElementById('shown'));
drawCharts(data, new Date());
// Printing lays the page out narrower: Chart.js resizes its canvases on `beforeprint` itself.
window.keyfenceReady = true;
