# common.gp - settings shared by mxsim's plots. mxsim plot runs
#   gnuplot common.gp VARS script.gp
# in the scenario's result folder, so scripts read and write files by
# plain names. VARS is written by mxsim: numbers, and strings spelt as byte
# codes with c(n) below, so no text from data is ever read as code.
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
