// The heat map is the server's overlap picture (GET …/overlap.svg), the
// very drawing wikis embed, inlined here and made to answer the keyboard:
// the grid is one tab stop, arrow keys move between hours and dates, and
// the focused or hovered hour's sentence is read out below the map.

const svgNS = 'http://www.w3.org/2000/svg';

// drawMap shows the picture in container; describe is called with the
// sentence of the hour in focus or under the pointer.
export function drawMap(container, svgText, describe) {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = document.importNode(parsed.documentElement, true);
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('role', 'grid');
  for (const part of svg.querySelectorAll('.caption, .legend')) part.setAttribute('aria-hidden', 'true');
  const rows = [...svg.querySelectorAll('.day')].map((row) => [...row.querySelectorAll('.cell')]);
  const cells = rows.flat();
  for (const cell of cells) cell.setAttribute('tabindex', '-1');
  const first = cells.find((c) => c.dataset.start !== c.dataset.end) || cells[0];
  if (first) first.setAttribute('tabindex', '0');

  const marks = document.createElementNS(svgNS, 'g');
  marks.setAttribute('class', 'marks');
  marks.setAttribute('aria-hidden', 'true');
  const ring = document.createElementNS(svgNS, 'rect');
  ring.setAttribute('class', 'focus-ring');
  ring.setAttribute('visibility', 'hidden');
  svg.append(marks, ring);

  const sentence = (cell) => cell.querySelector('title')?.textContent || '';
  svg.addEventListener('focusin', (event) => {
    const cell = event.target.closest('.cell');
    if (!cell) return;
    for (const c of cells) c.setAttribute('tabindex', c === cell ? '0' : '-1');
    placeOver(ring, cell);
    ring.setAttribute('visibility', 'visible');
    describe(sentence(cell));
  });
  svg.addEventListener('focusout', () => ring.setAttribute('visibility', 'hidden'));
  svg.addEventListener('pointerover', (event) => {
    const cell = event.target.closest('.cell');
    if (cell) describe(sentence(cell));
  });
  svg.addEventListener('keydown', (event) => moveFocus(event, rows));
  container.replaceChildren(svg);
  container.removeAttribute('aria-busy');
  return svg;
}

// moveFocus handles the grid's keys: arrows, Home and End within a date,
// Page Up and Page Down to the first and last date.
function moveFocus(event, rows) {
  const cell = event.target.closest('.cell');
  if (!cell) return;
  const r = rows.findIndex((row) => row.includes(cell));
  const c = rows[r].indexOf(cell);
  const moves = {
    ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c], ArrowDown: [r + 1, c],
    Home: [r, 0], End: [r, rows[r].length - 1], PageUp: [0, c], PageDown: [rows.length - 1, c],
  };
  const to = moves[event.key];
  if (!to) return;
  event.preventDefault();
  const [nr, nc] = [Math.min(Math.max(to[0], 0), rows.length - 1), Math.min(Math.max(to[1], 0), 23)];
  rows[nr][nc].focus();
}

function placeOver(rect, cell) {
  const box = cell.querySelector('rect');
  for (const name of ['x', 'y', 'width', 'height']) rect.setAttribute(name, box.getAttribute(name));
}

// mark outlines the hours that overlap any of the spans ({start, end},
// UTC instants) with the given class, replacing earlier marks of it.
export function mark(svg, spans, className) {
  const marks = svg.querySelector('.marks');
  for (const old of marks.querySelectorAll(`.${className}`)) old.remove();
  for (const cell of svg.querySelectorAll('.cell')) cell.classList.remove(className);
  const ranges = spans.map((s) => [Date.parse(s.start), Date.parse(s.end)]);
  for (const cell of svg.querySelectorAll('.cell')) {
    const start = Date.parse(cell.dataset.start);
    const end = Date.parse(cell.dataset.end);
    if (end <= start || !ranges.some(([s, e]) => s < end && e > start)) continue;
    cell.classList.add(className);
    const outline = document.createElementNS(svgNS, 'rect');
    outline.setAttribute('class', className);
    placeOver(outline, cell);
    marks.append(outline);
  }
}
