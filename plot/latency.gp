# latency.gp - distribution of delivery latency (arrival to delivery),
# one curve per study point, log time axis.
# Variables: name, series (the points drawn), label<p>.
f = "latency.csv"
do for [fmt in "png svg"] {
    eval term(fmt, 1000, 560)
    set output out.".".fmt
    set title name." - delivery latency"
    set logscale x
    set xrange [0.1:*]
    set yrange [0:100]
    set xlabel "latency (s, log scale; 60 = 1 min, 3600 = 1 h, 86400 = 1 d)"
    set ylabel "delivered within (% of all mail)"
    set key outside right top vertical
    plot for [i=1:words(series)] f using "latency_s":(column("point") == pt(i) ? 100 * column("cdf") : NaN) \
        with lines lw 2 lc i title pointlabel(pt(i))
    unset output
}
