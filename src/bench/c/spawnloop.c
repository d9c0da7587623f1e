/*
 * The physical limit of running a check: COUNT times posix_spawn + waitpid of PROG ARGS...,
 * one at a time, in a new session (POSIX_SPAWN_SETSID, what a direct runner would do instead
 * of `setsid` + jspawnhelper), stdin from /dev/null. Usage: spawnloop [-p] COUNT PROG [ARGS...]
 * -p: plain, in this process's session (to time `setsid PROG`, which must not be a group
 * leader or it forks and returns before PROG ends).
 * Prints "spawns=COUNT wall_us_per_spawn=W cpu_us_per_spawn=C" where C is user+system time
 * of this process and its reaped children, per spawn.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double cpu_us(int who) {
  struct rusage ru;
  getrusage(who, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

int main(int argc, char **argv) {
  int plain = argc > 1 && strcmp(argv[1], "-p") == 0;
  argv += plain;
  argc -= plain;
  if (argc < 3) {
    fprintf(stderr, "usage: spawnloop [-p] COUNT PROG [ARGS...]\n");
    return 2;
  }
  long count = atol(argv[1]);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (!plain) {
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  struct timespec t0, t1;
  double s0 = cpu_us(RUSAGE_SELF);
  double c0 = s0 + cpu_us(RUSAGE_CHILDREN);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < count; i++) {
    pid_t pid;
    if (posix_spawn(&pid, argv[2], &fa, &attr, &argv[2], environ) != 0) {
      perror("posix_spawn");
      return 1;
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
      perror("waitpid");
      return 1;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s1 = cpu_us(RUSAGE_SELF);
  double c1 = s1 + cpu_us(RUSAGE_CHILDREN);
  double wall = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
  /* parent_us: the loop's own CPU (the spawning side alone, without the children's) */
  printf("spawns=%ld wall_us_per_spawn=%.1f cpu_us_per_spawn=%.1f parent_us_per_spawn=%.1f\n",
         count, wall / count, (c1 - c0) / count, (s1 - s0) / count);
  return 0;
}
