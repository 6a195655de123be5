#!/usr/bin/env bash
# Stops the private engine started by engine.ts and removes exactly what it left behind: its
# containers, its dockerd/containerd/shims (found by this run's exec root, never by name), the
# iptables rules and chains that appeared while it ran, the egress-test network namespaces, and the
# state directory. Idempotent; called by the suite's teardown and by the watchdog when the test
# process dies without tearing down (SIGKILL, crash).
set -u
D=${1:?state dir}
[ -d "$D" ] || exit 0
export DOCKER_HOST="unix://$D/docker.sock"
PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH

# alive and not a zombie (the test process, blocked in a synchronous call, reaps dockerd only later)
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }

pid=$(cat "$D/docker.pid" 2>/dev/null || cat "$D/dockerd.spawned" 2>/dev/null || true)
if [ -n "$pid" ] && alive "$pid"; then
  ids=$(timeout 20 docker ps -aq 2>/dev/null || true)
  [ -n "$ids" ] && timeout 60 docker rm -f $ids >/dev/null 2>&1
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 120); do alive "$pid" || break; sleep 0.25; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
fi
# containerd and shims of this engine carry its exec root in their command line
for p in $(pgrep -f -- "$D/exec" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done

# egress-test namespaces (names recorded by the suite when it creates them)
if [ -f "$D/netns" ]; then
  while read -r ns; do
    [ -n "$ns" ] || continue
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip link del "h-$ns" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done < "$D/netns"
fi

# iptables: delete the rules and chains that were not there before the engine started
if [ -f "$D/iptables.before" ] && command -v iptables-save >/dev/null; then
  for t in filter nat; do
    before="$D/iptables.before.$t"
    iptables-save -t "$t" | grep -E '^(:|-A)' > "$D/iptables.after.$t"
    # rules added to chains that existed before (FORWARD, POSTROUTING, ...), newest first
    grep -E '^-A' "$D/iptables.after.$t" | grep -vxF -f <(grep -E '^-A' "$before" || true) | tac |
      while read -r line; do
        chain=$(echo "$line" | awk '{print $2}')
        if grep -q "^:$chain " "$before"; then iptables -t "$t" -D ${line#-A } 2>/dev/null; fi
      done
    for c in $(grep -E '^:' "$D/iptables.after.$t" | awk '{print substr($1,2)}'); do
      grep -q "^:$c " "$before" || iptables -t "$t" -F "$c" 2>/dev/null
    done
    for c in $(grep -E '^:' "$D/iptables.after.$t" | awk '{print substr($1,2)}'); do
      grep -q "^:$c " "$before" || iptables -t "$t" -X "$c" 2>/dev/null
    done
  done
  # dockerd sets FORWARD's policy to DROP and turns on forwarding: put both back
  policy=$(awk '/^:FORWARD /{print $2}' "$D/iptables.before.filter")
  [ -n "$policy" ] && iptables -t filter -P FORWARD "$policy"
  [ -f "$D/ip_forward.before" ] && cat "$D/ip_forward.before" > /proc/sys/net/ipv4/ip_forward
fi

# bridges of this engine's networks (normally removed by dockerd itself)
for l in $(cat "$D/bridges" 2>/dev/null); do ip link del "$l" 2>/dev/null; done

# anything still mounted under the state dir (overlay, shm, netns) blocks its removal
grep -F " $D/" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
rm -rf "$D"
exit 0
