/*
 * The benchmark's check: the tiniest program a check can be. Usage: stamp LOG TAG [FLAG]
 * Exits 1 when FLAG exists (the service is "broken"), else 0, and appends
 * "TAG <CLOCK_REALTIME ns> <exit code>\n" to LOG just before exiting. One write(2) with
 * O_APPEND, so lines of concurrent runs never interleave. The stamp is both the check's start
 * (for lateness, the program runs for microseconds) and its end (for decision overhead).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    return 2;
  }
  int rc = argc > 3 && access(argv[3], F_OK) == 0 ? 1 : 0;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char line[512];
  int n = snprintf(line, sizeof line, "%s %lld%09ld %d\n", argv[2], (long long)ts.tv_sec,
                   ts.tv_nsec, rc);
  int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || n <= 0 || write(fd, line, (size_t)n) != n) {
    return 3;
  }
  close(fd);
  return rc;
}
