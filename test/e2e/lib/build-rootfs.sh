#!/usr/bin/env bash
# Builds the shared Debian root filesystem of the emulated images and writes it as a tar.zst.
# Usage: build-rootfs.sh OUT.tar.zst SUITE MIRROR PACKAGE...
# No daemon starts in the chroot (policy-rc.d), docs/man/locales are not installed, and the
# postgresql package creates no cluster (the emulated entrypoint runs initdb, as the official image does).
set -euo pipefail
out=$1 suite=$2 mirror=$3; shift 3
work=$(mktemp -d /var/tmp/compose-harden-rootfs-XXXXXX)
root="$work/root"
cleanup() {
  for m in proc sys dev/pts dev; do umount -l "$root/$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
  { tail -30 "$work/debootstrap.log"; exit 1; }
cat > "$root/usr/sbin/policy-rc.d" <<'P'
#!/bin/sh
exit 101
P
chmod +x "$root/usr/sbin/policy-rc.d"
cat > "$root/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'P'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
P
mkdir -p "$root/etc/postgresql-common/createcluster.d"
echo 'create_main_cluster = false' > "$root/etc/postgresql-common/createcluster.d/00-no-main.conf"
mount -t proc proc "$root/proc"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" > "$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log"; exit 1; }
chroot "$root" apt-get clean
umount "$root/proc"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*.log "$root"/tmp/*
rm -f "$root/usr/sbin/policy-rc.d"
tar -C "$root" --numeric-owner -cf - . | zstd -q -T2 -3 -o "$out.partial"
mv "$out.partial" "$out"
