/*
 * The local servers of the built-in check benchmark: a TCP port that accepts and closes at once
 * (what a TCP check needs), and an HTTP/1.1 port that answers every request with a fixed
 * 200 "ok" on kept-alive connections (what an HTTP check needs). One thread, one epoll set, so
 * the servers cost as little as they can beside the daemon under test.
 *
 * usage: localservers TCP_PORT HTTP_PORT COUNTS_FILE
 * Every 10 ms COUNTS_FILE is rewritten with "<CLOCK_MONOTONIC ns> <tcp accepts> <http replies>\n".
 * Listens on 127.0.0.1 only. Stops on SIGTERM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 65536
#define BUF 4096

static const char REPLY[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";
static volatile sig_atomic_t stop;
static char *pending[MAX_CONN]; /* per fd: unparsed bytes of a request head */
static size_t pending_len[MAX_CONN];

static void on_term(int sig) { (void)sig; stop = 1; }

static int listener(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0) {
    perror("listen");
    exit(1);
  }
  return fd;
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void drop(int ep, int fd) {
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  free(pending[fd]);
  pending[fd] = NULL;
  pending_len[fd] = 0;
}

/* Reads what arrived; answers each complete request head. Returns replies sent, -1 to close. */
static int serve(int fd) {
  int replies = 0;
  char buf[BUF];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return -1;
    if (n < 0) return errno == EAGAIN ? replies : -1;
    size_t have = pending_len[fd];
    if (have + n > 64 * 1024) return -1;
    pending[fd] = realloc(pending[fd], have + n + 1);
    memcpy(pending[fd] + have, buf, n);
    have += n;
    pending[fd][have] = 0;
    char *start = pending[fd], *end;
    while ((end = strstr(start, "\r\n\r\n")) != NULL) {
      if (write(fd, REPLY, sizeof REPLY - 1) < 0) return -1;
      replies++;
      start = end + 4;
    }
    pending_len[fd] = have - (start - pending[fd]);
    memmove(pending[fd], start, pending_len[fd]);
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s TCP_PORT HTTP_PORT COUNTS_FILE\n", argv[0]);
    return 2;
  }
  struct rlimit nofile;
  getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = nofile.rlim_max; /* as many connections as we may */
  setrlimit(RLIMIT_NOFILE, &nofile);
  signal(SIGTERM, on_term);
  signal(SIGPIPE, SIG_IGN);
  int tcp = listener(atoi(argv[1]));
  int http = listener(atoi(argv[2]));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN};
  ev.data.fd = tcp;
  epoll_ctl(ep, EPOLL_CTL_ADD, tcp, &ev);
  ev.data.fd = http;
  epoll_ctl(ep, EPOLL_CTL_ADD, http, &ev);
  long long accepts = 0, replies = 0, last = 0;
  struct epoll_event events[256];
  while (!stop) {
    int n = epoll_wait(ep, events, 256, 10);
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == tcp) {
        int c;
        while ((c = accept4(tcp, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
          close(c);
          accepts++;
        }
      } else if (fd == http) {
        int c;
        while ((c = accept4(http, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          if (c >= MAX_CONN) {
            close(c);
            continue;
          }
          struct epoll_event ce = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
      } else {
        int r = serve(fd);
        if (r < 0) {
          drop(ep, fd);
        } else {
          replies += r;
        }
      }
    }
    long long t = now_ns();
    if (t - last >= 10000000LL) {
      last = t;
      char line[96];
      int len = snprintf(line, sizeof line, "%lld %lld %lld\n", t, accepts, replies);
      int f = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (f >= 0) {
        if (write(f, line, len) < 0) perror("write");
        close(f);
      }
    }
  }
  return 0;
}
