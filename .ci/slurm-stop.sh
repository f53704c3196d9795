#!/usr/bin/env bash
# Stops the single-node Slurm that slurm-start.sh started in DIR (its only argument) and removes
# DIR. Safe to call twice and on a half-started cluster: it only stops the daemons whose pid files
# DIR holds.
set -uo pipefail

dir="${1:?usage: slurm-stop.sh DIR (printed by slurm-start.sh)}"
[ -f "$dir/slurm.conf" ] || exit 0
SLURM_CONF="$dir/slurm.conf" scontrol shutdown >/dev/null 2>&1
# scontrol shutdown asks both daemons to exit; wait for them, then make sure by pid.
for pidfile in "$dir/slurmctld.pid" "$dir/slurmd.pid"; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill "$pid" 2>/dev/null || true
done
rm -rf "$dir"
