# heatmap.gp - a study over two or more axes: one panel per figure, the
# last axis across, the other axes' combinations down, the colour the mean
# over the replications (the value written in each cell, with its CI).
# Variables: name, reps, metrics (column stems), mlabel<i>, nlast, xl<i> (last
# axis values), lastname, ngroups, gtic<g> (the other axes' values as tic labels).
f = "aggregate.csv"
nm = words(metrics)
# a value never reached (inf) gets no colour
finite(x) = abs(x) < 1e300 ? x : NaN
# a CI half-width (none, and not read, with one replication)
ci(m) = reps > 1 ? column(m."_ci95") : 0
set palette defined (0 "#fff5eb", 0.5 "#fd8d3c", 1 "#7f2704")
do for [fmt in "png svg"] {
    eval term(fmt, 1000, 120 + (70 + 28 * ngroups) * nm)
    set output out.".".fmt
    set multiplot layout nm,1 title name." - every study point (mean; 95 % CI in brackets)" noenhanced
    set xrange [-0.5:nlast-0.5]
    set yrange [ngroups-0.5:-0.5]
    set xtics () scale 0
    do for [i=0:nlast-1] { set xtics add (value(sprintf("xl%d", i)) i) }
    set ytics () scale 0
    do for [g=0:ngroups-1] { set ytics add (value(sprintf("gtic%d", g)) g) }
    set xlabel lastname
    unset key
    set colorbox
    unset grid
    do for [i=1:nm] {
        m = word(metrics, i)
        set title value(sprintf("mlabel%d", i)) noenhanced
        set cblabel ""
        # colours from 0 (or the least, if below), so a small difference
        # between large values is not drawn as darkest against lightest;
        # all equal: a range of one unit, with no gnuplot warning
        undefine STATS_*
        stats [*:*][*:*] f using (finite(column(m."_mean"))) nooutput
        lo = exists("STATS_min") ? (STATS_min < 0 ? STATS_min : 0) : 0
        hi = exists("STATS_max") ? STATS_max : 1
        if (hi <= lo) { hi = lo + 1 }
        set cbrange [lo:hi]
        plot f using (int(column("point")) % nlast):(int(column("point")) / nlast):(finite(column(m."_mean"))) \
                with image, \
            f using (int(column("point")) % nlast):(int(column("point")) / nlast): \
                (sprintf("%.5g [%.3g]", column(m."_mean"), ci(m))) with labels font ",8"
    }
    unset multiplot
    unset output
}
