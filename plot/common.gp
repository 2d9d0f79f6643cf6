# common.gp - settings shared by mxsim's plots. mxsim plot runs
#   gnuplot common.gp VARS script.gp
# in the scenario's result folder, so scripts read files by plain names;
# they write their images to out.".png" and out.".svg" (out: a path in a
# private folder, from which mxsim copies them in). VARS is written by
# mxsim: numbers, and strings spelt as byte codes with c(n) below, so no
# text from data is ever read as code.
c(n) = sprintf("%c", n)
set datafile separator ","
set datafile columnheaders
set datafile missing ""
set grid lc rgb "#dddddd"
set border lc rgb "#555555"
set key noenhanced
set title noenhanced
set style fill transparent solid 0.55 noborder
set colorsequence podo
# output as PNG and SVG: call term(fmt, w, h) then set output
term(fmt, w, h) = (fmt eq "png") ? \
    sprintf("set terminal pngcairo size %d,%d font 'sans,10' noenhanced", w, h) : \
    sprintf("set terminal svg size %d,%d font 'sans,10' noenhanced dynamic background '#ffffff'", w, h)
# the i-th point drawn (series: point numbers, space separated)
pt(i) = int(word(series, i))
pointlabel(p) = exists(sprintf("label%d", p)) ? value(sprintf("label%d", p)) : sprintf("point %d", p)

# The time axis in calendar form over [xa:xb] (hours from time 0, which is
# 00:00 of day `start`, 0 = Monday): day names at midnight, hours between;
# past 14 days the step grows by whole days, so there are at most 15 tics.
daynames = "Mon Tue Wed Thu Fri Sat Sun"
dayof(t) = word(daynames, int(floor(t / 24) + start) % 7 + 1)
ticlabel(t) = (t - 24 * floor(t / 24) == 0) ? dayof(t)." 00:00" : \
    sprintf("%02d:%02d", int(t - 24 * floor(t / 24)), int(60 * (t - floor(t)) + 0.5))
calendar = "span = xb - xa; step = span > 336 ? 24 * ceil(span / 336) : span > 72 ? 24 : span > 36 ? 12 : span > 12 ? 3 : span > 4 ? 1 : 0.25; \
    set xtics (); set mxtics default; \
    do for [k=int(ceil(xa / step)):int(floor(xb / step))] { set xtics add (ticlabel(k * step) k * step) }; \
    set xlabel 'day and time'"
# The timeline's changes (nev, evt<i> hours) as dotted lines, numbered at
# the top of the panel drawn next (the report's caption lists them).
marks = "unset arrow; do for [i=1:nev] { set arrow (100 + i) from value(sprintf('evt%d', i)), graph 0 \
    to value(sprintf('evt%d', i)), graph 1 nohead dt 3 lw 1.5 lc rgb '#aa3300' }"
marknames = "do for [i=1:nev] { set label (100 + i) sprintf('%d', i) \
    at value(sprintf('evt%d', i)), graph 1.04 center font ',9' tc rgb '#aa3300' }"
unmarknames = "do for [i=1:nev] { unset label (100 + i) }"
