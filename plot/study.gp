# study.gp - key metrics against the swept parameter, mean over the
# replications with 95 % confidence intervals as error bars.
# Variables: name, reps (replications), metrics (column stems), mlabel<i>
# (panel titles), nlast (values of the last axis), xl<i> (each value in full), joined (1
# when they are quantities, so a line between them means something; else
# points), lastname, ngroups, glabel<g> (the other axes' values).
f = "aggregate.csv"
nm = words(metrics)
# one column with the legend beside each panel when there are groups
cols = ngroups > 1 ? 1 : 2
rows = (nm + cols - 1) / cols
# a CI half-width; with one replication there is none, and the column,
# empty, is not read (gnuplot drops a point whose column read is empty)
ci(m) = reps > 1 ? column(m."_ci95") : 0
glabel(g) = exists(sprintf("glabel%d", g)) ? value(sprintf("glabel%d", g)) : ""
do for [fmt in "png svg"] {
    eval term(fmt, cols == 1 ? 1200 : 1000, (cols == 1 ? 260 : 330) * rows)
    set output out.".".fmt
    set multiplot layout rows,cols title name." - study over ".lastname." (95 % confidence intervals)" noenhanced
    set xrange [-0.5:nlast-0.5]
    set xlabel lastname
    set xtics () rotate by -20
    do for [i=0:nlast-1] { set xtics add (value(sprintf("xl%d", i)) i) }
    if (ngroups > 1) { set key outside right top vertical } else { unset key }
    do for [i=1:nm] {
        m = word(metrics, i)
        # the figure's name above its panel, where a long one has room
        set title value(sprintf("mlabel%d", i)) noenhanced font ",10"
        unset ylabel
        # from 0; a figure that cannot be negative (a count, a share, a
        # time) is cut at 0, error bars too; all zero (nothing bounced,
        # say): 0 to 1, not gnuplot's -1 to 1
        undefine STATS_*
        set autoscale y
        stats [*:*][*:*] f using (abs(column(m."_mean")) + ci(m)) nooutput
        lowest = 0
        stats [*:*][*:*] f using (column(m."_mean")) nooutput prefix "LOW"
        if (exists("LOW_min")) { lowest = LOW_min }
        if (exists("STATS_max") && STATS_max == 0) { set yrange [0:1] } else { \
            if (lowest >= 0) { set yrange [0:*] } else { set yrange [*<0:*] } }
        if (joined) {
            plot for [g=0:ngroups-1] f using (int(column("point")) % nlast):( \
                int(column("point")) / nlast == g ? column(m."_mean") : NaN):(ci(m)) \
                with yerrorlines lw 2 lc g+1 title glabel(g)
        } else {
            plot for [g=0:ngroups-1] f using (int(column("point")) % nlast):( \
                int(column("point")) / nlast == g ? column(m."_mean") : NaN):(ci(m)) \
                with yerrorbars pt 7 ps 1.2 lw 2 lc g+1 title glabel(g)
        }
    }
    unset multiplot
    unset output
}
