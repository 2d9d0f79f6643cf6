#!/usr/bin/env bash
# slurm.sh - mxsim-mpi under Slurm: starts a private one-node cluster
# (munged, slurmctld and slurmd with their own key, socket, ports and
# folders under a temporary directory; stopped at the end), then checks
# that `srun --mpi=pmix` over 3 tasks gives every CSV byte for byte as
# `mxsim run -j 1` with rank 0 handing out to 2 workers, that the README's
# sbatch script does the same, that a killed task ends the run with
# nothing published, and that Ctrl-C on srun ends it with 130 and nothing
# published. Skipped (with a message) without root or without Debian's
# slurmd, slurmctld and munge.
# Usage: tests/slurm.sh build   (the folder with mxsim and mxsim-mpi)
# Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
B=$(cd "${1:-build}" && pwd)
MX=$B/mxsim
MPI=$B/mxsim-mpi
for c in slurmctld slurmd srun sbatch munged mungekey; do
	command -v $c >/dev/null || missing="${missing:-} $c"
done
if [ "$(id -u)" != 0 ] || [ -n "${missing:-}" ] || [ ! -x "$MPI" ]; then
	echo "slurm.sh: needs root, Slurm and munge (apt-get install slurmd slurmctld munge)" \
		"and $MPI: skipped"
	finish
	exit 0
fi

# --- a private cluster ----------------------------------------------------
C=$T/cluster
chmod 755 "$T" # munged runs as munge
mkdir -p "$C/state" "$C/spool" "$C/munge"
host=$(hostname -s)
stop() {
	for f in "$C"/slurmd.pid "$C"/slurmctld.pid "$C"/munge/munged.pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	sleep 1
}
trap 'stop; rm -rf "$T"' EXIT
mungekey -c -k "$C/munge/key" 2>/dev/null
chown -R munge:munge "$C/munge"
runuser -u munge -- munged --key-file="$C/munge/key" --socket="$C/munge/sock" \
	--pid-file="$C/munge/munged.pid" --log-file="$C/munge/log" --seed-file="$C/munge/seed"
cat >"$C/slurm.conf" <<EOF
ClusterName=mxsim-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$C/munge/sock
CredType=cred/munge
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
export SLURM_CONF=$C/slurm.conf
slurmctld && slurmd
up=0
for _ in $(seq 50); do
	sinfo -h -o %t 2>/dev/null | grep -q idle && { up=1; break; }
	sleep 0.2
done
check "the private cluster comes up" test $up = 1
if [ $up = 0 ]; then
	tail -n 5 "$C/munge/log" "$C"/*.log 2>/dev/null
	finish
	exit
fi

same() { # same reference-folder results-folder [scenario.ini]: every CSV (and it)
	for f in "$1"/*.csv ${3:+"$1/$3"}; do
		cmp -s "$f" "$2/$(basename "$f")" || { echo "differs: $2/$(basename "$f")"; return 1; }
	done
}

# --- srun: identical results, rank 0 hands out to 2 workers ---------------
set2="--set run.replications=2"
"$MX" run -q -j 1 -o "$T/one" $set2 scenarios/backup-storage.ini scenarios/ttl-cutover.ini \
	2>/dev/null
MXSIM_FARM_STATS=1 timeout 300 srun --mpi=pmix -O -n 3 "$MPI" run -q -o "$T/srun" $set2 \
	scenarios/backup-storage.ini scenarios/ttl-cutover.ini 2>"$T/srun.err"
check "srun, 3 tasks: exit 0" test $? -eq 0
check "srun, 3 tasks: rank 0 hands out to 2 workers" grep -q "over 2 workers" "$T/srun.err"
check "srun, 3 tasks: every CSV and scenario.ini byte for byte as -j 1" \
	sh -c "$(declare -f same); same '$T/one/backup-storage' '$T/srun/backup-storage' scenario.ini &&
		same '$T/one/ttl-cutover' '$T/srun/ttl-cutover' scenario.ini"

# --- sbatch: the README's script ------------------------------------------
mkdir -p "$T/job"
cp scenarios/backup-storage.ini "$T/job/study.ini"
sed -n '/^    #!\/bin\/bash/,/^    srun/s/^    //p' README.md |
	sed "s| mxsim-mpi | $MPI |; s|#SBATCH --ntasks=64|#SBATCH --ntasks=3\n#SBATCH --overcommit|" \
		>"$T/job/job.sh"
(cd "$T/job" && sbatch -Q --wait job.sh >/dev/null 2>&1)
check "sbatch with the README's script: exit 0" test $? -eq 0
"$MX" run -q -j 1 -o "$T/ref" scenarios/backup-storage.ini 2>/dev/null
check "sbatch: every CSV byte for byte as -j 1" \
	sh -c "$(declare -f same); same '$T/ref/backup-storage' '$T/job/results/study'"

# --- a killed task, Ctrl-C: nothing published, nothing left ---------------
big=(--set traffic.rate=2000000/7d --set run.replications=12 scenarios/bench/provider-week.ini)
for how in kill int; do
	timeout 300 srun --mpi=pmix -O -n 3 "$MPI" run -q -o "$T/$how" "${big[@]}" \
		>/dev/null 2>&1 &
	runner=$!
	sleep 3
	if [ $how = kill ]; then
		pkill -KILL -n -f "^$MPI run -q -o $T/$how" # the newest: a worker
	else
		pkill -INT -P $runner -x srun # twice within a second: srun stops the job
		sleep 0.3
		pkill -INT -P $runner -x srun
	fi
	wait $runner
	rc=$?
	sleep 1
	left=$(pgrep -f "$MPI run -q -o $T/$how" | wc -l)
	if [ $how = kill ]; then
		check "a killed task ends the run: exit $rc, nothing published, no task left" \
			sh -c "test $rc -ne 0 && test ! -e '$T/$how/provider-week' && test $left = 0"
	else
		check "Ctrl-C on srun: exit 130, nothing published, no task left" \
			sh -c "test $rc -eq 130 && test ! -e '$T/$how/provider-week' && test $left = 0"
	fi
done
finish
