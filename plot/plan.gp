# plan.gp - a [plan]'s candidates: the share of runs meeting the goal (or
# the goal figure's mean) against the value tried, with its interval; the
# share wanted (or the goal) and the answer marked.
# Variables: name, vary (the x label), xscale (value to x), ylab, mean (1: the mean's interval), want (the
# share wanted in %, or the goal's value), answer (NaN: none), logx.
f = "plan.csv"
do for [fmt in "png svg"] {
    eval term(fmt, 900, 520)
    set output out.".".fmt
    set title name." - plan: the values tried" noenhanced
    set xlabel vary noenhanced
    set ylabel ylab noenhanced
    if (logx) { set logscale x }
    set key outside below center horizontal
    if (!mean) { set yrange [0:105] }
    if (answer == answer) { set arrow 1 from first answer, graph 0 to first answer, graph 1 nohead lw 2 lc rgb "#2a7f2a" dt 2 }
    set arrow 2 from graph 0, first want to graph 1, first want nohead lw 1 lc rgb "#b03030"
    if (mean) {
        plot f using (xscale * column("value")):"mean":(column("mean") - column("ci95")):(column("mean") + column("ci95")) \
            with yerrorbars pt 7 ps 1 lw 2 lc 1 title "mean, with its interval", \
            NaN with lines lw 1 lc rgb "#b03030" title "the goal", \
            NaN with lines lw 2 lc rgb "#2a7f2a" dt 2 title "the answer"
    } else {
        plot f using (xscale * column("value")):(100 * column("share")):(100 * column("share_low")):(100 * column("share_high")) \
            with yerrorbars pt 7 ps 1 lw 2 lc 1 title "runs meeting the goal, with its interval", \
            NaN with lines lw 1 lc rgb "#b03030" title "the share wanted", \
            NaN with lines lw 2 lc rgb "#2a7f2a" dt 2 title "the answer"
    }
    unset output
}
