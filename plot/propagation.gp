# propagation.gp - share of MX lookups answered with the old MX, and share
# of deliveries still reaching the old provider's servers, over time (each
# bucket drawn as a step from its start).
# Variables: name, series (the points drawn), label<p>, cutover_h, ttl<p> (hours),
# oldcols (delivered_<server> columns of old servers, space separated),
# t0, t1 (hours: the window shown).
f = "timeseries.csv"
oldsum(dummy) = sum [k=1:words(oldcols)] column(word(oldcols, k))
do for [fmt in "png svg"] {
    eval term(fmt, 1000, 720)
    set output out.".".fmt
    set multiplot layout 2,1 title name." - propagation of the MX change" noenhanced
    set xrange [t0:t1]
    xa = t0
    xb = t1
    eval calendar
    set yrange [0:105]
    set ylabel "old MX answers (% of lookups)"
    set key outside right top vertical
    # the same margins in both panels, so their time axes line up
    set lmargin 10
    set rmargin 36
    unset arrow
    if (cutover_h == cutover_h) {
        set arrow 1 from cutover_h, graph 0 to cutover_h, graph 1 nohead lw 2 lc rgb "#444444"
        set label 1 " MX switched" at cutover_h, graph 0.95 tc rgb "#444444"
        do for [i=1:words(series)] {
            set arrow (10+i) from cutover_h + value(sprintf("ttl%d", pt(i))), graph 0 \
                to cutover_h + value(sprintf("ttl%d", pt(i))), graph 1 nohead dt 2 lc i
        }
    }
    plot for [i=1:words(series)] f using "t_h":(column("point") == pt(i) ? 100 * column("old_mx_share") : NaN) \
        with steps lw 2 lc i title pointlabel(pt(i))." (dashed: TTL expiry)"
    set ylabel "delivered to the old provider (% of deliveries)"
    unset label 1
    if (words(oldcols) > 0) {
        plot for [i=1:words(series)] f using "t_h":(column("point") == pt(i) && column("delivered") > 0 ? \
            100 * oldsum(0) / column("delivered") : NaN) with steps lw 2 lc i title pointlabel(pt(i))
    } else {
        set label 2 "no server of another provider" at graph 0.5, 0.5 center
        plot NaN notitle
        unset label 2
    }
    unset multiplot
    unset output
}
