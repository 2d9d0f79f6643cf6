# study.gp - key metrics against the swept parameter, mean over the
# replications with 95 % confidence intervals as error bars.
# Variables: name, metrics (column stems), mlabel<i> (axis labels),
# nlast (values of the last axis), lastname and lastcol (its name and
# column in aggregate.csv), ngroups, glabel<g>.
f = "aggregate.csv"
nm = words(metrics)
rows = (nm + 1) / 2
glabel(g) = exists(sprintf("glabel%d", g)) ? value(sprintf("glabel%d", g)) : ""
do for [fmt in "png svg"] {
    eval term(fmt, 1000, 330 * rows)
    set output "study.".fmt
    set multiplot layout rows,2 title name." - study over ".lastname." (95 % confidence intervals)" noenhanced
    set xrange [-0.5:nlast-0.5]
    set xlabel lastname
    set key top left opaque
    do for [i=1:nm] {
        m = word(metrics, i)
        set ylabel value(sprintf("mlabel%d", i))
        set yrange [0:*]
        plot for [g=0:ngroups-1] f using (int(column("point")) % nlast):( \
                int(column("point")) / nlast == g ? column(m."_mean") : NaN):(column(m."_ci95")) \
                :xticlabels(stringcolumn(lastcol)) with yerrorlines lw 2 lc g+1 title glabel(g)
    }
    unset multiplot
    unset output
}
