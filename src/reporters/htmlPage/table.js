// Sorting and filtering of the findings table. The rows are in the page already (readable and
// printable without script); this only reorders and hides them. A cell's `data-sort` is its sort
// key when its text is not (severity rank, line number); numbers sort as numbers.

const key = (row, column) => {
  const cell = row.cells[column];
  return cell ? (cell.getAttribute('data-sort') ?? cell.textContent.trim()) : '';
};

function compare(a, b) {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/** Every word of the filter must occur in the row's text, in any case; the severity must match when one is picked. */
function matches(row, words, severity) {
  if (severity && row.getAttribute('data-severity') !== severity) return false;
  const text = row.textContent.toLowerCase();
  return words.every((w) => text.includes(w));
}

export function wireFindingsTable(table, filter, severityFilter, status) {
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const headers = Array.from(table.tHead.rows[0].cells);

  const apply = () => {
    const words = (filter?.value ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const severity = severityFilter?.value ?? '';
    let shown = 0;
    for (const row of rows) {
      const visible = matches(row, words, severity);
      row.hidden = !visible;
      if (visible) shown++;
    }
    if (status) status.textContent = `${shown} of ${rows.length} finding${rows.length === 1 ? '' : 's'} shown`;
  };

  headers.forEach((th, column) => {
    const button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      for (const other of headers) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      // Array.prototype.sort is stable: rows equal in this column keep their last order.
      const sorted = Array.from(body.rows).sort((a, b) => (ascending ? 1 : -1) * compare(key(a, column), key(b, column)));
      body.append(...sorted);
    });
  });
  filter?.addEventListener('input', apply);
  severityFilter?.addEventListener('change', apply);
  apply();
}
