/*
 * Charts of the ranking page and the unit page, drawn with Chart.js (vendored, loaded before this
 * file with `defer`). Strict CSP: no inline script, no inline style attribute; the data comes from
 * `json_script` blocks (<script type="application/json">) named by each canvas's data-chart, built
 * by thidua/scoring/charts.py. Sizes are set through the CSSOM, which the CSP allows.
 *
 * Numbers are shown the Vietnamese way (1.234,5) with Intl.NumberFormat('vi-VN'); animations are
 * off for users who ask for reduced motion. Every canvas carries an aria-label (a summary) and the
 * page a fallback table.
 */
(function () {
  'use strict';

  if (typeof window.Chart === 'undefined') {
    return;
  }
  var Chart = window.Chart;

  var motion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  var reduceMotion = !!(motion && motion.matches);

  var number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
  var points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  var INK = '#1c2430';
  var MUTED = '#5d6978';
  var LINE = '#d8dee6';
  var BAR = '#0b4f8a';
  var PALETTE = ['#0b4f8a', '#a31515', '#1d6b35', '#9a5b00', '#5b3a8c', '#2f7f86'];
  var MISSING = '#eceff3';

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily || Chart.defaults.font.family;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = INK;
  Chart.defaults.borderColor = LINE;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  function fmtPoints(value) {
    return value === null || value === undefined ? '—' : points.format(value);
  }

  function fmtNumber(value) {
    return value === null || value === undefined ? '—' : number.format(value);
  }

  function fmtPct(value) {
    return value === null || value === undefined ? '—' : number.format(value) + '%';
  }

  /** The chart's container gets a fixed height and a relative position (Chart.js responsive mode). */
  function sizeBox(canvas, height) {
    var box = canvas.parentNode;
    box.style.position = 'relative';
    box.style.width = '100%';
    box.style.height = height + 'px';
  }

  function baseOptions() {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 500 },
      locale: 'vi-VN'
    };
  }

  // ------------------------------------------------------------------------ ranking: totals by unit

  function rankingChart(canvas, data) {
    var units = data.units;
    var text = data.text;
    sizeBox(canvas, Math.max(160, units.length * 30 + 70));
    var options = baseOptions();
    options.indexAxis = 'y';
    options.scales = {
      x: { beginAtZero: true, ticks: { callback: function (value) { return fmtNumber(value); } },
           title: { display: true, text: text.total + ' (' + text.points + ')', color: MUTED } },
      y: { grid: { display: false } }
    };
    options.plugins = {
      legend: { display: false },
      tooltip: {
        callbacks: {
          title: function (items) { return items.length ? items[0].label : ''; },
          label: function (item) { return text.total + ': ' + fmtPoints(item.raw) + ' ' + text.points; },
          afterBody: function (items) {
            if (!items.length) { return []; }
            var unit = units[items[0].dataIndex];
            var lines = data.contents.map(function (code) {
              return text.content + ' ' + code + ': ' + fmtPoints(unit.contents[code]);
            });
            lines.push(text.adjustments + ': ' + fmtPoints(unit.adjustments));
            return lines;
          }
        }
      }
    };
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: units.map(function (u) { return u.rank + '. ' + u.label; }),
        datasets: [{
          label: text.total,
          data: units.map(function (u) { return u.total; }),
          backgroundColor: BAR,
          borderRadius: 2,
          maxBarThickness: 26
        }]
      },
      options: options
    });
  }

  // ------------------------------------------------------------ % of plan: criterion × unit matrix

  function mix(from, to, t) {
    var a = parseInt(from.slice(1), 16);
    var b = parseInt(to.slice(1), 16);
    var channels = [16, 8, 0].map(function (shift) {
      var x = (a >> shift) & 255;
      var y = (b >> shift) & 255;
      return Math.round(x + (y - x) * t);
    });
    return 'rgb(' + channels.join(',') + ')';
  }

  // Blue for met or beaten plans, orange for shortfalls (readable with red-green colour blindness);
  // the further from 100 %, the darker, saturating at 50 points away.
  var MET = ['#d6e6f5', '#1f5f99'];
  var UNMET = ['#fde2c4', '#b35806'];

  function isMet(value, lower) {
    return lower ? value <= 100 : value >= 100;
  }

  function cellColour(value, lower) {
    if (value === null || value === undefined) { return MISSING; }
    var t = Math.min(Math.abs(value - 100), 50) / 50;
    var ends = isMet(value, lower) ? MET : UNMET;
    return mix(ends[0], ends[1], t);
  }

  function darkCell(value) {
    return value !== null && value !== undefined && Math.min(Math.abs(value - 100), 50) / 50 > 0.55;
  }

  /** Draws every cell as a full rectangle with its value; the scatter points only carry tooltips. */
  var matrixCells = {
    id: 'thiduaMatrixCells',
    beforeDatasetsDraw: function (chart) {
      var xScale = chart.scales.x;
      var yScale = chart.scales.y;
      var meta = chart.getDatasetMeta(0);
      var cellW = xScale.width / Math.max(xScale.getLabels().length, 1);
      var cellH = yScale.height / Math.max(yScale.getLabels().length, 1);
      var ctx = chart.ctx;
      ctx.save();
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.font = Chart.helpers.toFont({ family: Chart.defaults.font.family, size: cellH < 22 ? 11 : 12 }).string;
      meta.data.forEach(function (element, i) {
        var cell = chart.data.datasets[0].data[i];
        var x = element.x - cellW / 2;
        var y = element.y - cellH / 2;
        ctx.fillStyle = cellColour(cell.v, cell.lower);
        ctx.fillRect(x + 1, y + 1, cellW - 2, cellH - 2);
        var label = cell.v === null ? '—' : fmtNumber(cell.v);
        if (ctx.measureText(label).width + 6 <= cellW && cellH >= 14) {
          ctx.fillStyle = darkCell(cell.v) ? '#ffffff' : INK;
          ctx.fillText(label, element.x, element.y);
        }
      });
      ctx.restore();
    }
  };

  function planChart(canvas, data) {
    var text = data.text;
    // Category labels must be unique: two units with the same short name get their codes.
    var units = data.units.map(function (u) {
      var same = data.units.filter(function (other) { return other.label === u.label; }).length > 1;
      return same ? u.label + ' (' + u.unit + ')' : u.label;
    });
    var codes = data.criteria.map(function (c) { return c.code; });
    var cells = [];
    data.criteria.forEach(function (criterion) {
      criterion.values.forEach(function (value, j) {
        cells.push({ x: units[j], y: criterion.code, v: value, lower: criterion.lower, criterion: criterion });
      });
    });
    sizeBox(canvas, Math.max(180, codes.length * 30 + 110));
    var options = baseOptions();
    options.layout = { padding: { right: 24 } };
    options.scales = {
      x: { type: 'category', labels: units, offset: true, position: 'top', grid: { display: false },
           ticks: { autoSkip: false, maxRotation: 60 } },
      y: { type: 'category', labels: codes, offset: true, reverse: false, grid: { display: false },
           ticks: { autoSkip: false } }
    };
    options.plugins = {
      legend: {
        position: 'bottom',
        onClick: function () {},
        labels: {
          boxWidth: 14,
          generateLabels: function () {
            return [
              { text: text.met, fillStyle: MET[1], strokeStyle: MET[1], lineWidth: 0 },
              { text: text.unmet, fillStyle: UNMET[1], strokeStyle: UNMET[1], lineWidth: 0 },
              { text: text.missing, fillStyle: MISSING, strokeStyle: LINE, lineWidth: 1 }
            ];
          }
        }
      },
      tooltip: {
        callbacks: {
          title: function (items) {
            if (!items.length) { return ''; }
            var c = items[0].raw.criterion;
            return text.criterion + ' ' + c.code + (c.title ? '. ' + c.title : '') + (c.lower ? ' (' + text.lower + ')' : '');
          },
          labelColor: function (item) {
            return { borderColor: LINE, backgroundColor: cellColour(item.raw.v, item.raw.lower), borderWidth: 1 };
          },
          label: function (item) {
            var cell = item.raw;
            if (cell.v === null) { return cell.x + ': ' + text.missing; }
            return cell.x + ': ' + fmtPct(cell.v) + ' ' + text.ofPlan +
              ' (' + (isMet(cell.v, cell.lower) ? text.met : text.unmet).toLowerCase() + ')';
          }
        }
      }
    };
    return new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: [{
          label: text.ofPlan,
          data: cells,
          pointRadius: 0,
          pointHoverRadius: 0,
          pointHitRadius: function (context) {
            var chart = context.chart;
            if (!chart.chartArea) { return 10; }
            var w = chart.chartArea.width / Math.max(units.length, 1);
            var h = chart.chartArea.height / Math.max(codes.length, 1);
            return Math.max(4, Math.min(w, h) / 2);
          },
          backgroundColor: 'rgba(0,0,0,0)',
          borderWidth: 0
        }]
      },
      options: options,
      plugins: [matrixCells]
    });
  }

  // ------------------------------------------------------------ a unit's totals across the years

  function historyChart(canvas, data) {
    var text = data.text;
    sizeBox(canvas, 300);
    var options = baseOptions();
    options.scales = {
      x: { grid: { display: false }, title: { display: true, text: text.year, color: MUTED } },
      y: { beginAtZero: true, ticks: { callback: function (value) { return fmtNumber(value); } },
           title: { display: true, text: text.total + ' (' + text.points + ')', color: MUTED } }
    };
    options.plugins = {
      legend: { display: data.series.length > 1, position: 'bottom' },
      tooltip: {
        callbacks: {
          label: function (item) {
            var s = data.series[item.datasetIndex];
            var i = item.dataIndex;
            return s.name + ': ' + fmtPoints(s.totals[i]) + ' ' + text.points + ' (' + text.rank + ' ' +
              s.ranks[i] + '/' + s.members[i] + ', ' + text.scale + ' ' + fmtNumber(s.scales[i]) + ')';
          }
        }
      }
    };
    return new Chart(canvas, {
      type: 'bar',
      data: {
        // Years are labels, not numbers: 2024, never "2.024".
        labels: data.years.map(String),
        datasets: data.series.map(function (s, k) {
          return {
            label: s.name,
            data: s.totals,
            backgroundColor: PALETTE[k % PALETTE.length],
            borderRadius: 2,
            maxBarThickness: 48,
            skipNull: true
          };
        })
      },
      options: options
    });
  }

  var BUILDERS = { ranking: rankingChart, plan: planChart, history: historyChart };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart'));
    if (!source) { return; }
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var build = data && BUILDERS[data.kind];
    if (build) {
      build(canvas, data);
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll('canvas[data-chart]'), draw);

  // Turning reduced motion on while the page is open stops further animations too.
  if (motion && motion.addEventListener) {
    motion.addEventListener('change', function (event) {
      reduceMotion = event.matches;
      Array.prototype.forEach.call(document.querySelectorAll('canvas[data-chart]'), function (canvas) {
        var chart = Chart.getChart(canvas);
        if (chart) {
          chart.options.animation = reduceMotion ? false : { duration: 500 };
          chart.update('none');
        }
      });
    });
  }
}());
