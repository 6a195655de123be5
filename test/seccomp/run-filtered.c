/*
 * Test helper: loads a seccomp filter described by a line file and execs a command under it.
 *
 *   run-filtered RULES -- COMMAND [ARGS...]
 *
 * RULES lines (written by test/seccomp/kernel.ts from a flattened OCI profile):
 *   default ERRNO            deny everything else with this errno
 *   allow NAME [ARG OP VALUE]...          OP: lt le eq ne gt ge masked_eq (masked_eq: ARG masked_eq MASK VALUE)
 *   errno ERRNO NAME [ARG OP VALUE]...
 * A name this libseccomp cannot resolve is skipped with a note on stderr, as runc does.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_op(const char *op, enum scmp_compare *out) {
  static const struct { const char *name; enum scmp_compare op; } ops[] = {
      {"lt", SCMP_CMP_LT}, {"le", SCMP_CMP_LE}, {"eq", SCMP_CMP_EQ}, {"ne", SCMP_CMP_NE},
      {"gt", SCMP_CMP_GT}, {"ge", SCMP_CMP_GE}, {"masked_eq", SCMP_CMP_MASKED_EQ},
  };
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    if (strcmp(op, ops[i].name) == 0) {
      *out = ops[i].op;
      return 0;
    }
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: run-filtered RULES -- COMMAND [ARGS...]\n");
    return 125;
  }
  FILE *file = fopen(argv[1], "r");
  if (!file) {
    perror(argv[1]);
    return 125;
  }
  char line[4096];
  scmp_filter_ctx ctx = NULL;
  int lineno = 0;
  while (fgets(line, sizeof line, file)) {
    lineno++;
    char *words[32];
    int count = 0;
    for (char *word = strtok(line, " \t\n"); word && count < 32; word = strtok(NULL, " \t\n")) words[count++] = word;
    if (count == 0) continue;
    if (strcmp(words[0], "default") == 0 && count == 2) {
      ctx = seccomp_init(SCMP_ACT_ERRNO((unsigned)atoi(words[1])));
      if (!ctx) {
        fprintf(stderr, "seccomp_init failed\n");
        return 125;
      }
      continue;
    }
    if (!ctx) {
      fprintf(stderr, "line %d: the first line must be `default ERRNO`\n", lineno);
      return 125;
    }
    uint32_t action;
    int at;
    if (strcmp(words[0], "allow") == 0) {
      action = SCMP_ACT_ALLOW;
      at = 1;
    } else if (strcmp(words[0], "errno") == 0 && count >= 3) {
      action = SCMP_ACT_ERRNO((unsigned)atoi(words[1]));
      at = 2;
    } else {
      fprintf(stderr, "line %d: cannot read `%s`\n", lineno, words[0]);
      return 125;
    }
    const char *name = words[at++];
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
      fprintf(stderr, "run-filtered: skipped %s (unknown to this libseccomp)\n", name);
      continue;
    }
    struct scmp_arg_cmp cmps[6];
    unsigned ncmp = 0;
    while (at < count && ncmp < 6) {
      enum scmp_compare op;
      if (at + 2 >= count || parse_op(words[at + 1], &op) != 0) {
        fprintf(stderr, "line %d: bad condition\n", lineno);
        return 125;
      }
      unsigned index = (unsigned)atoi(words[at]);
      scmp_datum_t a = strtoull(words[at + 2], NULL, 0);
      scmp_datum_t b = 0;
      at += 3;
      if (op == SCMP_CMP_MASKED_EQ) {
        if (at >= count) {
          fprintf(stderr, "line %d: masked_eq needs MASK VALUE\n", lineno);
          return 125;
        }
        b = strtoull(words[at++], NULL, 0);
      }
      cmps[ncmp++] = (struct scmp_arg_cmp){.arg = index, .op = op, .datum_a = a, .datum_b = b};
    }
    int rc = seccomp_rule_add_array(ctx, action, nr, ncmp, cmps);
    if (rc < 0) {
      fprintf(stderr, "line %d: seccomp_rule_add %s: %s\n", lineno, name, strerror(-rc));
      return 125;
    }
  }
  fclose(file);
  if (!ctx) {
    fprintf(stderr, "no rules\n");
    return 125;
  }
  int rc = seccomp_load(ctx);
  if (rc < 0) {
    fprintf(stderr, "seccomp_load: %s\n", strerror(-rc));
    return 125;
  }
  seccomp_release(ctx);
  execvp(argv[3], argv + 3);
  fprintf(stderr, "exec %s: %s\n", argv[3], strerror(errno));
  return 127;
}
