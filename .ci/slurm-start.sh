#!/usr/bin/env bash
# Starts a single-node Slurm (slurmctld + slurmd on localhost) for the Slurm CI test, with its
# configuration, state, spool and logs in one temporary directory. Prints that directory on stdout
# (pass it to slurm-stop.sh); the caller exports SLURM_CONF=<dir>/slurm.conf so that sbatch and
# friends find this cluster. Fails (non-zero, with the daemons' logs) if the node is not idle soon.
# No munge, cgroups or slurmdbd: auth/none and linuxproc are enough for jobs run by this user on
# one node (/work/shared/docs/environment.md).
set -euo pipefail

dir="$(mktemp -d /tmp/stiffness-slurm.XXXXXX)"
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
cpus="$(nproc)"
# Two free ports, so that this cluster does not collide with another CI run on the machine.
read -r ctld_port d_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
cat >"$dir/slurm.conf" <<CONF
ClusterName=stiffness-ci
SlurmctldHost=localhost
AuthType=auth/none
CredType=cred/none
SlurmUser=$(id -un)
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=20000 State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF" >&2
slurmd -f "$SLURM_CONF" -N localhost >&2

# The node registers within about a second; allow 60 s on a loaded machine.
for _ in $(seq 1 120); do
  state="$(sinfo -h -n localhost -o %T 2>/dev/null || true)"
  if [ "$state" = "idle" ]; then
    echo "$dir"
    exit 0
  fi
  sleep 0.5
done
echo "slurm-start.sh: node localhost not idle after 60 s (state '${state:-none}'); logs:" >&2
tail -n 20 "$dir"/log/*.log >&2 || true
scontrol -f "$SLURM_CONF" shutdown >/dev/null 2>&1 || true
exit 1
