#!/bin/sh
# Reloads HAProxy hitlessly when its mounted config changes. Runs beside HAProxy (the balancer pod's
# reload sidecar, and the data-plane tests on loopback). A new config is checked with `haproxy -c`
# first; a valid one is loaded by signalling the master (SIGUSR2): it starts new workers on the same
# listening sockets and lets the old ones finish their requests, so no connection is refused or cut.
# An invalid one is reported and the running config keeps serving.
set -u
config=${HAPROXY_CONFIG:?path of haproxy.cfg}
pidfile=${HAPROXY_PIDFILE:?path of the master pid file}
interval=${RELOAD_INTERVAL_SECONDS:-2}

fingerprint() { cksum < "$config" 2>/dev/null; }

loaded=$(fingerprint)
echo "watching $config (cksum ${loaded%% *})"
while sleep "$interval"; do
  current=$(fingerprint)
  [ "$current" = "$loaded" ] && continue
  loaded=$current
  if ! haproxy -c -q -f "$config"; then
    echo "config cksum ${current%% *} is invalid; HAProxy keeps the running one"
    continue
  fi
  if kill -USR2 "$(cat "$pidfile")"; then
    echo "reloaded config cksum ${current%% *}"
  else
    echo "could not signal the HAProxy master from $pidfile"
  fi
done
