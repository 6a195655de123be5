/*
 * Test probe: tries each call a profile must deny without capabilities and prints `name errno` per line
 * (0 when the call succeeded). Run under run-filtered; never run it unfiltered as root (it would unshare).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *name, long rc) { printf("%s %d\n", name, rc < 0 ? errno : 0); }

int main(void) {
  errno = 0;
  report("unshare", syscall(SYS_unshare, CLONE_NEWUTS));
  report("mount", syscall(SYS_mount, "none", "/nonexistent-probe", "tmpfs", 0UL, NULL));
  report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
  report("ptrace", syscall(SYS_ptrace, PTRACE_PEEKUSER, getppid(), 0, 0));
  report("bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0));
  return 0;
}
