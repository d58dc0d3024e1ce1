#!/usr/bin/env bash
# Stops a throwaway Kafka broker when the process that started it is gone (scripts/kafka/broker.ts
# spawns this, detached, when given `watchPid`): a test run killed with SIGKILL leaves no broker.
#   watchdog.sh WATCH_PID WATCH_START_TIME BROKER_PID RUN_DIR
# The watched process is compared by PID and start time (a reused PID is not it); the broker is
# signalled only while /proc/PID/cmdline is kafka.Kafka with RUN_DIR's server.properties. Exits by
# itself once the broker is gone. RUN_DIR is removed only when it holds the harness's broker.json.
set -u

watch_pid=$1 watch_start=$2 broker_pid=$3 run_dir=$4
props="$run_dir/server.properties"

start_time() {  # prints field 22 of /proc/PID/stat; fails when there is no live process
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a fields <<< "${stat##*) }"
  [[ ${fields[0]} != Z && ${fields[0]} != X ]] || return 1
  echo "${fields[19]}"
}

watched_alive() { [[ "$(start_time "$watch_pid")" == "$watch_start" ]]; }

broker_ours() {
  local cmd
  start_time "$broker_pid" > /dev/null || return 1
  cmd=$(tr '\0' ' ' < "/proc/$broker_pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *kafka.Kafka* && $cmd == *"$props"* ]]
}

remove_run_dir() {
  if [[ -f "$run_dir/broker.json" ]]; then rm -rf -- "$run_dir"; fi
}

while broker_ours; do
  if ! watched_alive; then
    kill -TERM "$broker_pid" 2> /dev/null
    for _ in $(seq 1 100); do broker_ours || break; sleep 0.2; done
    if broker_ours; then kill -KILL "$broker_pid" 2> /dev/null; fi
    for _ in $(seq 1 50); do start_time "$broker_pid" > /dev/null || break; sleep 0.2; done
    remove_run_dir
    exit 0
  fi
  sleep 1
done
# The broker is gone already; if its starter is gone too, nobody else will clean up.
if ! watched_alive; then remove_run_dir; fi
