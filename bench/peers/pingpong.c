/* Loopback floor of the Steward benchmark suite: one byte ping-pong over TCP on 127.0.0.1 between two processes,
 * each pinned to a CPU (as taskset does). Usage: pingpong CPU_A CPU_B ROUNDS -> median round trip in microseconds. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); exit(2); }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: pingpong CPU_A CPU_B ROUNDS\n"); return 2; }
    int a = atoi(argv[1]), b = atoi(argv[2]), rounds = atoi(argv[3]), one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(listener, (struct sockaddr *) &addr, sizeof addr) || listen(listener, 1)
        || getsockname(listener, (struct sockaddr *) &addr, &len)) { perror("listen"); return 2; }
    pid_t child = fork();
    if (child == 0) {
        pin(b);
        int s = accept(listener, NULL, NULL);
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char c;
        while (read(s, &c, 1) == 1) {
            if (write(s, &c, 1) != 1) break;
        }
        _exit(0);
    }
    pin(a);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *) &addr, sizeof addr)) { perror("connect"); return 2; }
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    double *us = malloc(sizeof(double) * rounds);
    char c = 'x';
    for (int i = -1000; i < rounds; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (write(s, &c, 1) != 1 || read(s, &c, 1) != 1) { perror("ping"); return 2; }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (i >= 0) us[i] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
    }
    close(s);
    waitpid(child, NULL, 0);
    qsort(us, rounds, sizeof(double), cmp);
    printf("%.3f\n", us[rounds / 2]);
    return 0;
}
