/*
 * Stands in front of the reconfigure command to say when it started. Usage: reconf LOG CMD ARGS…
 * Appends "start <CLOCK_REALTIME ns>\n" to LOG as the first thing main() does (one O_APPEND
 * write), then execs CMD ARGS… in place: the daemon still sees birdc's output and exit code. The
 * daemon's bird_reconfigure_cmd in the command-path measure, and the program the C start loop
 * starts, so "command started" means the same in both.
 */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (argc < 3) {
    return 2;
  }
  char line[64];
  int n = snprintf(line, sizeof line, "start %lld%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
  int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || n <= 0 || write(fd, line, (size_t)n) != n) {
    return 3;
  }
  close(fd);
  execv(argv[2], argv + 2);
  return 127;
}
