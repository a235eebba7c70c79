#!/bin/sh
# Reloads HAProxy hitlessly when its mounted config changes. Runs beside HAProxy (the balancer pod's
# reload sidecar, and the data-plane tests on loopback). A new config is checked with `haproxy -c`
# first; an invalid one is reported and the running config keeps serving. For a valid one, the
# servers' state (DNS-resolved addresses, health) is saved where the config's server-state-file points,
# so the new workers start with every server as it was instead of waiting for DNS and health checks;
# then the master is signalled (SIGUSR2): it starts new workers on the same listening sockets and lets
# the old ones finish their requests, so no connection is refused or cut.
set -u
config=${HAPROXY_CONFIG:?path of haproxy.cfg}
pidfile=${HAPROXY_PIDFILE:?path of the master pid file}
socket=${HAPROXY_SOCKET:?path of the admin socket}
state=${HAPROXY_STATE_FILE:?path of the server-state-file}
# Checking a few-KiB file five times a second costs nothing and keeps delivery well under a second.
interval=${RELOAD_INTERVAL_SECONDS:-0.2}

fingerprint() { cksum < "$config" 2>/dev/null; }

# No socat in the HAProxy image; perl-base is in every Debian-based one.
save_server_state() {
  perl -MIO::Socket::UNIX -e '
    my $cli = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "cannot connect to $ARGV[0]: $!\n";
    print $cli "show servers state\n";
    print while <$cli>;' "$socket" > "$state.next" && mv "$state.next" "$state"
}

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
  save_server_state || echo "could not save the servers' state; new workers rediscover them"
  if kill -USR2 "$(cat "$pidfile")"; then
    echo "reloaded config cksum ${current%% *}"
  else
    echo "could not signal the HAProxy master from $pidfile"
  fi
done
