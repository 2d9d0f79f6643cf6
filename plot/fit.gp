# fit.gp - mxsim fit's picture: the messages per hour the log shows
# against the fitted weekly table over the log's span (fit-hours.csv:
# hour, seen, fitted; hours from 00:00 of day `start`, 0 = Monday), and the
# sizes' CDF against the fitted distribution's (fit-sizes.csv: size,
# seen, fitted). Variables: xa, xb (the span in hours), start, sa, sb
# (the sizes' range).
do for [fmt in "png svg"] {
    eval term(fmt, 1000, 760)
    set output out.".".fmt
    set multiplot layout 2, 1 title "mxsim fit - the log against the scenario fitted to it"
    set key inside top right opaque box
    set ylabel "messages an hour"
    set xrange [xa:xb]
    set yrange [0:*]
    @calendar
    plot "fit-hours.csv" using "hour":"fitted" with steps lw 3 lc rgb "#d9822b" title "fitted (the weekly table)", \
         "" using "hour":"seen" with steps lw 1 lc rgb "#3b6ea5" title "in the log"
    set xrange [sa:sb]
    set xtics autofreq
    set mxtics default
    set logscale x
    set format x "%.0s%cB"
    set xlabel "message size (bytes)"
    set ylabel "share of messages at most this size"
    set yrange [0:1]
    set key inside bottom right
    plot "fit-sizes.csv" using "size":"seen" with lines lw 3 lc rgb "#3b6ea5" title "in the log", \
         "" using "size":"fitted" with lines lw 2 dt 2 lc rgb "#d9822b" title "fitted"
    unset logscale x
    set xrange [*:*]
    set yrange [*:*]
    set format x "% h"
    unset multiplot
    unset output
}
