# common.gp - settings shared by mxsim's plots; loaded by each script.
# Variables from mxsim plot: dir (a scenario's result folder), name.
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
pointlabel(p) = exists(sprintf("label%d", p)) ? value(sprintf("label%d", p)) : sprintf("point %d", p)
