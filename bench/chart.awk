# Draws latency against load as an SVG from the rows bench/run.sh writes with BENCH_SWEEP_OUT:
#   series <TAB> connections <TAB> rps <TAB> p50_ms <TAB> p99_ms
# One line per series: x is the throughput reached (requests/s), y the 99th percentile latency (ms),
# both on log scales; each point is labelled with its connection count, p50 drawn dashed.
# Usage: awk -F'\t' -v title="..." -f bench/chart.awk sweep.tsv > chart.svg
function lg(v) { return log(v) / log(10) }
function px(v) { return left + (lg(v) - xmin) / (xmax - xmin) * (width - left - right) }
function py(v) { return height - bottom - (lg(v) - ymin) / (ymax - ymin) * (height - top - bottom) }
function tick(v) { return v >= 1000000 ? v / 1000000 "M" : v >= 1000 ? v / 1000 "k" : v }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); return s }
NR > 1 && $3 > 0 && $5 > 0 {
  if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 }
  n[$1]++; c[$1, n[$1]] = $2; x[$1, n[$1]] = $3; p50[$1, n[$1]] = ($4 > 0 ? $4 : $5); p99[$1, n[$1]] = $5
  if (lo_x == "" || $3 < lo_x) lo_x = $3; if ($3 > hi_x) hi_x = $3
  if (lo_y == "" || p50[$1, n[$1]] < lo_y) lo_y = p50[$1, n[$1]]; if ($5 > hi_y) hi_y = $5
}
END {
  if (count == 0) { print "no rows to draw" > "/dev/stderr"; exit 1 }
  width = 760; height = 460; left = 70; right = 190; top = 40; bottom = 50
  xmin = int(lg(lo_x)); if (lg(lo_x) < xmin) xmin--; xmax = int(lg(hi_x)) + 1
  ymin = int(lg(lo_y)); if (lg(lo_y) < ymin) ymin--; ymax = int(lg(hi_y)) + 1
  split("#0b5cad #b3261e #1e7b34 #6b3fa0 #8a5a00 #005f6b", colour, " ")
  printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-labelledby=\"t\">\n", width, height, width, height
  printf "<title id=\"t\">%s</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n", esc(title)
  printf "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"#1a1a1a\">%s</text>\n", left, esc(title)
  for (e = xmin; e <= xmax; e++) for (m = 1; m < 10; m++) {
    v = m * 10 ^ e; if (lg(v) > xmax) break
    printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n", px(v), top, px(v), height - bottom, (m == 1 ? "#b0b0b0" : "#ececec")
    if (m == 1) printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#1a1a1a\">%s</text>\n", px(v), height - bottom + 16, tick(v)
  }
  for (e = ymin; e <= ymax; e++) for (m = 1; m < 10; m++) {
    v = m * 10 ^ e; if (lg(v) > ymax) break
    printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n", left, py(v), width - right, py(v), (m == 1 ? "#b0b0b0" : "#ececec")
    if (m == 1) printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#1a1a1a\">%s</text>\n", left - 6, py(v) + 4, v
  }
  printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#1a1a1a\">throughput reached (requests/s, log scale)</text>\n", (left + width - right) / 2, height - 12
  printf "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\" fill=\"#1a1a1a\">latency (ms, log scale): p99 solid, p50 dashed</text>\n", (top + height - bottom) / 2
  for (i = 1; i <= count; i++) {
    s = order[i]; col = colour[(i - 1) % 6 + 1]; line99 = ""; line50 = ""
    for (k = 1; k <= n[s]; k++) { line99 = line99 sprintf("%.1f,%.1f ", px(x[s, k]), py(p99[s, k])); line50 = line50 sprintf("%.1f,%.1f ", px(x[s, k]), py(p50[s, k])) }
    printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", col, line99
    printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\" points=\"%s\"/>\n", col, line50
    for (k = 1; k <= n[s]; k++) {
      printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s: %s connections, %s req/s, p50 %s ms, p99 %s ms</title></circle>\n", px(x[s, k]), py(p99[s, k]), col, esc(s), c[s, k], x[s, k], p50[s, k], p99[s, k]
      printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>\n", px(x[s, k]) + 5, py(p99[s, k]) - 5, col, c[s, k]
    }
    printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n", width - right + 16, top + 10 + 22 * i, width - right + 40, top + 10 + 22 * i, col
    printf "<text x=\"%d\" y=\"%d\" fill=\"#1a1a1a\">%s</text>\n", width - right + 46, top + 14 + 22 * i, esc(s)
  }
  printf "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#444444\">labels: connections</text>\n", width - right + 16, top + 14 + 22 * (count + 1)
  print "</svg>"
}
