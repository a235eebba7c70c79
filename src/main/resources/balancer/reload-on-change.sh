#!/bin/sh
# Reloads HAProxy hitlessly when its mounted config changes. Runs beside HAProxy (the balancer pod's
# reload sidecar, and the data-plane tests on loopback). A new config is checked with `haproxy -c`
# first; an invalid one is reported and the running config keeps serving. For a valid one, the
# servers' state (DNS-resolved addresses, health) is saved where the config's server-state-file points,
# so the new workers start with every server as it was instead of waiting for DNS and health checks;
# then the master is signalled (SIGUSR2): it starts new workers on the same listening sockets and lets
# the old ones finish their requests, so no connection is refused or cut. Then it waits until HAProxy
# answers on its monitor port with the new config's hash and logs "serving config HASH": the moment the
# new config takes traffic (the operator asks the same endpoint before it completes a promotion).
set -u
config=${HAPROXY_CONFIG:?path of haproxy.cfg}
pidfile=${HAPROXY_PIDFILE:?path of the master pid file}
socket=${HAPROXY_SOCKET:?path of the admin socket}
state=${HAPROXY_STATE_FILE:?path of the server-state-file}
monitor_port=${HAPROXY_MONITOR_PORT:-8405}
# Checking a few-KiB file ten times a second costs nothing and keeps delivery well under a second.
interval=${RELOAD_INTERVAL_SECONDS:-0.1}

fingerprint() { cksum < "$config" 2>/dev/null; }

# No socat in the HAProxy image; perl-base is in every Debian-based one.
save_server_state() {
  perl -MIO::Socket::UNIX -e '
    my $cli = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "cannot connect to $ARGV[0]: $!\n";
    print $cli "show servers state\n";
    print while <$cli>;' "$socket" > "$state.next" && mv "$state.next" "$state"
}

# The hash the operator rendered into the config's /config-hash answer.
config_hash() { sed -n 's|.* string \([0-9a-f]\{64\}\) if { path /config-hash }.*|\1|p' "$config"; }

# Polls GET /config-hash on the monitor port every 50 ms, for up to 10 s, until it answers $1.
await_serving() {
  perl -MIO::Socket::INET -e '
    my ($port, $expected) = @ARGV;
    for (1 .. 200) {
      my $http = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Timeout => 1);
      if ($http) {
        print $http "GET /config-hash HTTP/1.0\r\n\r\n";
        my $answer = join "", <$http>;
        exit 0 if $answer =~ /\r\n\r\n\Q$expected\E\s*$/;
      }
      select(undef, undef, undef, 0.05);
    }
    exit 1;' "$monitor_port" "$1"
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
  if ! kill -USR2 "$(cat "$pidfile")"; then
    echo "could not signal the HAProxy master from $pidfile"
    continue
  fi
  echo "reloaded config cksum ${current%% *}"
  hash=$(config_hash)
  if [ -z "$hash" ]; then
    echo "config cksum ${current%% *} has no /config-hash answer to confirm"
  elif await_serving "$hash"; then
    echo "serving config $hash"
  else
    echo "HAProxy does not answer config $hash 10 s after the reload"
  fi
done
