/*
 * The limit of the command-path measure: how long it takes from a C program's posix_spawn call
 * to the started command's main() — the cost of starting the same command with nothing else in
 * the way. Usage: startloop N LOG RECONF CMD ARGS…  For each of N runs: reads the clock,
 * posix_spawn()s RECONF LOG CMD ARGS… in a new session (as the daemon starts commands), waits for
 * it, then appends "spawn <CLOCK_REALTIME ns at the call>\n" to LOG; RECONF appended its own
 * "start <ns>" before, so LOG holds pairs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc < 5) {
    return 2;
  }
  int n = atoi(argv[1]);
  char **child = calloc((size_t)argc, sizeof *child);
  child[0] = argv[3];
  child[1] = argv[2];
  for (int i = 4; i < argc; i++) {
    child[i - 2] = argv[i];
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  for (int i = 0; i < n; i++) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    pid_t pid;
    if (posix_spawn(&pid, argv[3], NULL, &attr, child, environ) != 0) {
      return 4;
    }
    int status;
    waitpid(pid, &status, 0);
    /* Written after the child's own line, out of the timed path: LOG holds "start", "spawn". */
    char line[64];
    int len = snprintf(line, sizeof line, "spawn %lld%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    int fd = open(argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, line, (size_t)len) != len) {
      return 3;
    }
    close(fd);
  }
  return 0;
}
