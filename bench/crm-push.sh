#!/usr/bin/env bash
# Scenario (c) of ./build.sh bench (issue 15 §1c, issue 12 §5): the CRM push at a steady rate, in the
# deployed shape the POST's maximum is measured in. Web role process(es) take the kiosk's POSTs, one
# worker process (async daemon and Hangfire server) links and pushes, one PostgreSQL, the kiosk load
# from a process of its own, and a loopback CRM behind the signed webhook that checks every signature:
# the fault drills' pieces (drills/shape.sh, drills/DrillHarness), without a fault.
# Prints, as "crm-push:" lines: kiosk answer → receiver p50/p95/p99, the rate the kiosk reached
# against the rate asked, pushes per second, the backlog at each quarter of the load, the stages
# (answer → enqueued, enqueued → fetched, fetched → received, from Hangfire's tables), the drills'
# check (each accepted sign-up stored once and pushed under one delivery id), the CPU each process
# used and the load average. Goals (issue 12): p95 <= 2 s, and no growing backlog.
# Knobs: CRM_BENCH_RATE (sign-ups/s, default 50), CRM_BENCH_SIGNUPS (how many at that rate, default
# 3000), CRM_BENCH_TABLETS (default rate/8, at least 8), CRM_BENCH_WEBS (web processes, default 1),
# CRM_BENCH_WARMUP (seconds at the rate first, not measured, default 30: a pod runs for days, and in
# its first seconds at this rate the app still compiles its hot paths to tier-1 code), DRILL_PORT_BASE (5140),
# SHAPE_APP_ENV (settings for the app processes, e.g. DOTNET_PerfMapEnabled=1 to profile with perf),
# CRM_BENCH_KIOSK_SIDE (default 1: first the same load with the worker stopped, nothing linked or
# pushed, to measure what the kiosk side alone takes of the machine and so what it leaves the pipeline).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

RATE="${CRM_BENCH_RATE:-50}"
SIGNUPS="${CRM_BENCH_SIGNUPS:-3000}"
TABLETS="${CRM_BENCH_TABLETS:-$(( RATE / 8 > 8 ? RATE / 8 : 8 ))}"
WEBS="${CRM_BENCH_WEBS:-1}"
WARMUP="${CRM_BENCH_WARMUP:-30}"
KIOSK_SIDE="${CRM_BENCH_KIOSK_SIDE:-1}"
DB_NAME=customerinfo_crm_bench
LOGS="$ROOT/bench/out/crm-logs"
# shellcheck source=drills/shape.sh
source "$ROOT/drills/shape.sh"

# CPU ticks (user + system) of a process, and of the whole machine (busy, all cores). The machine's
# count includes steal (field 9): in a virtual machine a process's own time also runs on while the
# host has taken its core, so without it the processes' sum came out above the machine's (the
# negative "rest" of 2026-12-03).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# The private PostgreSQL's processes (its postmaster and backends), pid=ticks per line.
pg_ticks() {
  local postmaster pid
  postmaster="$(head -n1 "$ROOT/.data/postgres/postmaster.pid" 2>/dev/null)" || return 0
  for pid in "$postmaster" $(ps -o pid= --ppid "$postmaster" 2>/dev/null); do echo "$pid=$(ticks "$pid")"; done
}
# Ticks the PostgreSQL used since the first list: backends that ended in between are not counted.
pg_used() { # first list
  local used=0 line pid
  declare -A first
  for line in $1; do first[${line%%=*}]=${line#*=}; done
  for line in $(pg_ticks); do pid=${line%%=*}; used=$((used + ${line#*=} - ${first[$pid]:-0})); done
  echo "$used"
}
load1() { cut -d' ' -f1 /proc/loadavg; }

# The sign-ups the kiosk has had accepted so far (the harness's count since it started).
accepted() { curl -s "http://127.0.0.1:$CONTROL_PORT/stats" | grep -oE '^kiosk: [0-9]+' | grep -oE '[0-9]+'; }

# Runs the load at the rate for the measured seconds, after a warm-up, and sets CPU (one "name cores"
# entry per process, the rest of the machine last), KNOWN (the processes' cores in all) and REACHED
# (sign-ups accepted per second). With "drain", the warm-up's sign-ups are all pushed before it measures.
measure() { # drain|nodrain
  ctl "load/start?tablets=$TABLETS&rate=$RATE" >/dev/null
  sleep "$WARMUP"
  ctl "load/stop?settle=60" >/dev/null
  # The measured load starts on an empty pipeline: every warm-up sign-up pushed first.
  if [ "$1" = drain ]; then ctl "check?drain=120" >/dev/null || say "the warm-up's sign-ups were not all pushed within 120 s"; fi
  seconds=$(( (SIGNUPS + RATE - 1) / RATE ))
  declare -A before
  local name used known=0 n0 n1
  for name in "${!PID[@]}"; do [ -n "${PID[$name]}" ] && before[$name]=$(ticks "${PID[$name]}"); done
  harness_before=$(ticks "$HARNESS_PID"); pg_before="$(pg_ticks)"; machine_before=$(machine_busy); load_start=$(load1); n0=$(accepted); t0=$(date +%s.%N)
  ctl "load/start?tablets=$TABLETS&rate=$RATE" >/dev/null
  sleep "$seconds"
  ctl "load/stop?settle=60" >/dev/null
  t1=$(date +%s.%N); load_end=$(load1); n1=$(accepted)
  REACHED=$(awk -v n=$((n1 - n0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
  CPU=()
  for name in $(printf '%s\n' "${!PID[@]}" | sort); do
    [ -n "${PID[$name]}" ] || continue
    used=$(( $(ticks "${PID[$name]}") - ${before[$name]} )); known=$((known + used))
    CPU+=("$name $(core "$used")")
  done
  used=$(( $(ticks "$HARNESS_PID") - harness_before )); known=$((known + used))
  CPU+=("harness (kiosk load and loopback CRM) $(core "$used")")
  used=$(pg_used "$pg_before"); known=$((known + used))
  CPU+=("PostgreSQL $(core "$used")")
  KNOWN=$(core "$known")
  # The rest is the machine's busy time less the processes': per-process and machine-wide ticks are
  # sampled differently by the kernel, so with nothing else running it can come out a few hundredths
  # below zero; that is shown as 0.00.
  rest=$(( $(machine_busy) - machine_before - known ))
  CPU+=("rest of the machine (other work) $(core $(( rest > 0 ? rest : 0 )))")
}
hz=$(getconf CLK_TCK)
core() { awk -v t="$1" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz / s }'; }

webs_shape() { local i; for i in $(seq 1 "$WEBS"); do echo "web$i:web"; done; }

# Two baselines in the same run, on the same machine (issue 15 §5). The kiosk side alone: the same
# load with the worker stopped, so nothing is linked or pushed. Then the pipeline alone: the worker
# started on the sign-ups that load stored, with no kiosk load, as fast as it can link and push them
# all (big pages and full batches: its best case). A pipeline that cannot push at the rate asked with
# the machine to itself cannot keep up with a kiosk at that rate on it either.
delivered() { curl -s "http://127.0.0.1:$CONTROL_PORT/stats" | grep -oE '^crm: [A-Za-z]+, [0-9]+' | grep -oE '[0-9]+$'; }
if [ "$KIOSK_SIDE" = 1 ]; then
  say "The kiosk side alone: $WEBS web process(es), the harness, no worker (nothing linked or pushed)"
  # shellcheck disable=SC2046
  start_shape $(webs_shape) worker:worker
  kill9 worker
  say "Measuring the kiosk side: $RATE sign-ups/s for $(( (SIGNUPS + RATE - 1) / RATE )) s (after a ${WARMUP} s warm-up)"
  measure nodrain
  echo "crm-push: kiosk side alone (no worker: nothing linked or pushed) at ${REACHED}/s of $RATE asked, in cores of $(nproc): $(IFS=,; echo "${CPU[*]}" | sed 's/,/, /g'); the processes $KNOWN in all"
  stored=$(accepted)
  say "The pipeline alone: the worker on the $stored stored sign-ups, no kiosk load"
  start_app worker
  w0=$(ticks "${PID[worker]}"); harness_before=$(ticks "$HARNESS_PID"); pg_before="$(pg_ticks)"; machine_before=$(machine_busy); d0=$(delivered); t0=$(date +%s.%N)
  drain="$(ctl "check?drain=900")" || true
  t1=$(date +%s.%N); d1=$(delivered)
  machine=$(core $(( $(machine_busy) - machine_before )))
  echo "crm-push: pipeline alone (the worker linking and pushing the $stored stored sign-ups, no kiosk load): $(awk -v n=$((d1 - d0)) -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }') pushes/s over $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s ($((d1 - d0)) pushed after the worker was ready), in cores of $(nproc): worker $(core $(( $(ticks "${PID[worker]}") - w0 ))), harness (loopback CRM) $(core $(( $(ticks "$HARNESS_PID") - harness_before ))), PostgreSQL $(core "$(pg_used "$pg_before")"), the machine busy $machine; check $(head -n1 <<<"$drain")"
  stop_all
fi

say "The deployed shape: $WEBS web process(es), one worker, the harness (kiosk load and loopback CRM)"
# shellcheck disable=SC2046
start_shape $(webs_shape) worker:worker
say "Measuring: $RATE sign-ups/s for $(( (SIGNUPS + RATE - 1) / RATE )) s from $TABLETS tablets (after a ${WARMUP} s warm-up)"
measure drain
cpu=("${CPU[@]}")

# 180 s: long enough for the passed-over search (ADR 34: first look a minute after the subscription
# passed a stretch, run every minute) to bring in a sign-up the daemon skipped.
answer="$(ctl "check?drain=180")" || true
latency="$(ctl "latency?rate=$RATE")"
echo "$latency"
echo "crm-push: check $(head -n1 <<<"$answer"): $(grep -m1 '  check:' <<<"$answer" | sed 's/^  check: //')"
echo "crm-push: CPU during the load, in cores of $(nproc): $(IFS=,; echo "${cpu[*]}" | sed 's/,/, /g')"
echo "crm-push: load average (1 min) $load_start at the start of the load, $load_end at its end; $TABLETS tablets, $WEBS web process(es)"
echo "crm-push: worker log (warm-up included): $(grep -c 'high water detection is skipping' "$LOGS/worker.log" || true) high-water gap skips, $(grep -c 'Error trying to process subscription' "$LOGS/worker.log" || true) failed subscription pages (tried again), $(grep -c 'were passed over by the contact linking' "$LOGS/worker.log" || true) runs of the passed-over search that found sign-ups"
grep -v '^  check:\|^RESULT\|^PASS' <<<"$answer" | sed 's/^ */crm-push: /' >&2
[ "$(head -n1 <<<"$answer")" = PASS ] || { echo "the CRM push scenario's check failed" >&2; exit 1; }
