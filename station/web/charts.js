// Bar charts as SVG, each with its numbers beside the bars: grouped columns (entries and exits per
// hour or day) and horizontal bars (counts by category). No library, no network.
"use strict";

const Charts = {
  svg(tag, attributes = {}, text) {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    return el;
  },

  figure(title, svg) {
    const figure = document.createElement("figure");
    figure.className = "chart";
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    figure.append(caption, svg);
    return figure;
  },

  // rows: [{label, values: [a, b]}]; series: [{name, className}] for the two values.
  columns(title, rows, series) {
    const barWidth = rows.length > 12 ? 9 : 16, gap = 6, groupWidth = series.length * barWidth + gap;
    const height = 150, top = 28, bottom = 22, left = 8;
    const width = Math.max(320, left + rows.length * groupWidth + 8);
    const largest = Math.max(1, ...rows.flatMap((r) => r.values));
    const svg = this.svg("svg", { viewBox: `0 0 ${width} ${height + top + bottom}`, width, role: "img", "aria-label": title });
    series.forEach((s, i) => {
      svg.append(this.svg("rect", { x: left + i * 110, y: 4, width: 10, height: 10, class: s.className }));
      svg.append(this.svg("text", { x: left + i * 110 + 14, y: 13, class: "legend" }, s.name));
    });
    rows.forEach((row, r) => {
      const x0 = left + r * groupWidth;
      row.values.forEach((value, i) => {
        const h = Math.round((value / largest) * height);
        const x = x0 + i * barWidth;
        const rect = this.svg("rect", { x, y: top + height - h, width: barWidth - 1, height: h, class: series[i].className });
        rect.append(this.svg("title", {}, `${row.label} · ${series[i].name}: ${I18N.number(value)}`));
        svg.append(rect);
        if (value > 0)
          svg.append(this.svg("text", { x: x + (barWidth - 1) / 2, y: top + height - h - 2, class: "value", "text-anchor": "middle" }, I18N.number(value)));
      });
      svg.append(this.svg("text", { x: x0 + (groupWidth - gap) / 2, y: top + height + 15, class: "label", "text-anchor": "middle" }, row.label));
    });
    return this.figure(title, svg);
  },

  // rows: [{label, value}]
  bars(title, rows, className = "total") {
    const rowHeight = 20, labelWidth = 150, barSpace = 220, numberWidth = 70;
    const width = labelWidth + barSpace + numberWidth;
    const largest = Math.max(1, ...rows.map((r) => r.value));
    const svg = this.svg("svg", { viewBox: `0 0 ${width} ${Math.max(1, rows.length) * rowHeight + 4}`, width, role: "img", "aria-label": title });
    if (!rows.length) svg.append(this.svg("text", { x: 0, y: 15, class: "label" }, I18N.t("stats.none")));
    rows.forEach((row, i) => {
      const y = i * rowHeight + 2;
      const w = Math.max(1, Math.round((row.value / largest) * barSpace));
      svg.append(this.svg("text", { x: labelWidth - 6, y: y + 14, class: "label", "text-anchor": "end" }, row.label));
      const rect = this.svg("rect", { x: labelWidth, y, width: w, height: rowHeight - 5, class: className });
      rect.append(this.svg("title", {}, `${row.label}: ${I18N.number(row.value)}`));
      svg.append(rect);
      svg.append(this.svg("text", { x: labelWidth + w + 5, y: y + 14, class: "value" }, I18N.number(row.value)));
    });
    return this.figure(title, svg);
  },
};
