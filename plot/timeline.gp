# timeline.gp - one study point over time: deliveries per server and
# bounces per reason (stacked), sessions against capacity, queues.
# Variables: name, p (point), label<p>, servers (names), backups (the
# backup servers' names), cap<i>
# (sessions of server i), reasons (bounce reasons seen), t1 (hours),
# start (the day of time 0), nev, evt<i>, evl<i> (the timeline's changes).
f = "timeseries.csv"
ns = words(servers)
nr = words(reasons)
nb = words(backups)
dcol(i) = "delivered_".word(servers, i)
bcol(i) = "bounced_".word(reasons, i)
do for [fmt in "png svg"] {
    eval term(fmt, 1000, 1000)
    set output out.".".fmt
    set multiplot layout 4,1 title name." - ".pointlabel(p) noenhanced
    set key outside right top vertical
    set lmargin 10
    set rmargin 24
    set xrange [0:t1]
    xa = 0
    xb = t1
    eval calendar
    eval marks
    eval marknames
    set tmargin 4
    set ylabel "delivered per bucket"
    set yrange [0:*]
    plot for [i=ns:1:-1] f using "t_h":(column("point") == p ? sum [k=1:i] column(dcol(k)) : NaN) \
        with fillsteps lc i title word(servers, i), \
        f using "t_h":(column("point") == p ? column("delivered_late") : NaN) \
        with steps lw 1.5 dt 2 lc rgb "#222222" title "of those, late ([report] within)"
    eval unmarknames
    set tmargin
    set ylabel "bounced per bucket"
    if (nr > 0) {
        plot for [i=nr:1:-1] f using "t_h":(column("point") == p ? sum [k=1:i] column(bcol(k)) : NaN) \
            with fillsteps lc i+2 title word(reasons, i)
    } else {
        set label 1 "no message bounced" at graph 0.5, 0.5 center
        plot [][0:1] NaN notitle
        unset label 1
    }
    set ylabel "SMTP sessions (peak per bucket)"
    set offsets 0, 0, graph 0.1, 0
    plot for [i=1:ns] f using "t_h":(column("point") == p ? column("sessions_peak_".word(servers, i)) : NaN) \
            with steps lw 2 lc i title word(servers, i), \
        for [i=1:ns] value(sprintf("cap%d", i)) with lines dt 2 lw 1.5 lc i title word(servers, i)." capacity"
    set offsets 0, 0, 0, 0
    set ylabel "messages queued"
    set yrange [0:1<*]
    if (nb == 0) {
        plot f using "t_h":(column("point") == p ? column("queued_senders") : NaN) \
            with steps lw 2 lc 1 title "at senders"
    } else {
        set y2label "MB (dashed)" offset -1, 0
        set y2tics
        set y2range [0:*]
        set key inside left top
        plot f using "t_h":(column("point") == p ? column("queued_senders") : NaN) \
                with steps lw 2 lc 1 title "at senders", \
            for [i=1:nb] f using "t_h":(column("point") == p ? \
                column("queue_".word(backups, i)) : NaN) \
                with steps lw 2 lc i+1 title "at ".word(backups, i), \
            for [i=1:nb] f using "t_h":(column("point") == p ? \
                column("queue_bytes_".word(backups, i)) / 1e6 : NaN) axes x1y2 \
                with steps lw 1.5 dt 2 lc i+1 title word(backups, i)." MB"
        unset y2tics
        unset y2label
        set key outside right top vertical
    }
    unset multiplot
    unset output
}
