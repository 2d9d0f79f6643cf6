# sensitivity.gp - a tornado per answer figure at point 0 of
# sensitivity.csv: a bar per assumption moved, from the figure at the
# defaults to the figure at the assumption's low end and at its high end,
# largest swing on top; the default marked.
# Variables: name, point (its label), nfig, fig<i>, unit<i>, def<i> (the
# figure at the defaults), nrows (assumptions moved), a<i>_<rank> (their
# names).
f = "sensitivity.csv"
mine(i) = (column("point") == 0 && strcol("figure") eq value(sprintf("fig%d", i)) && strcol("rank") ne "")
do for [fmt in "png svg"] {
    eval term(fmt, 900, 100 + nfig * (90 + 26 * nrows))
    set output out.".".fmt
    set multiplot layout nfig, 1 title name." - which assumption moves the answer".(point eq "" ? "" : " (".point.")") noenhanced
    set ytics noenhanced
    set yrange [nrows + 0.6:0.4]
    set offsets graph 0.05, graph 0.05, 0, 0
    set style fill solid 0.75 noborder
    do for [i=1:nfig] {
        if (i == 1) { set key outside top center horizontal } else { unset key }
        u = value(sprintf("unit%d", i))
        set xlabel value(sprintf("fig%d", i)).(u eq "" ? "" : " (".u.")") noenhanced
        d = value(sprintf("def%d", i))
        set ytics ()
        do for [r=1:nrows] { if (exists(sprintf("a%d_%d", i, r))) { set ytics add (value(sprintf("a%d_%d", i, r)) r) } }
        set arrow 1 from first d, graph 0 to first d, graph 1 nohead lw 2 lc rgb "#333333" dt 2
        plot f using (mine(i) ? (column("at_default") + column("at_low")) / 2 : NaN):"rank": \
                 (mine(i) ? abs(column("at_low") - column("at_default")) / 2 : NaN):(0.35) \
                 with boxxyerror lc rgb "#3b6ea5" title "at the low value", \
             f using (mine(i) ? (column("at_default") + column("at_high")) / 2 : NaN):"rank": \
                 (mine(i) ? abs(column("at_high") - column("at_default")) / 2 : NaN):(0.35) \
                 with boxxyerror lc rgb "#d9822b" title "at the high value", \
             NaN with lines lw 2 lc rgb "#333333" dt 2 title "at the defaults"
        unset arrow 1
    }
    unset multiplot
    unset output
}
