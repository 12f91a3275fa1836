/* pbench launcher: `launcher PATH ARGV0 ARGS...` forks, execs PATH with argv
 * ARGV0 ARGS... in the child, and reports on fd 3, as 64-byte records of eight
 * little-endian int64:
 *   kind 0: child pid, CLOCK_MONOTONIC at fork (ns)
 *   kind 1: exec failed, errno            (written by the child)
 *   kind 2: wait status, wall ns from fork to reap, user us, system us,
 *           ru_maxrss KiB, CLOCK_MONOTONIC at reap
 * Built freestanding (no libc) so that its own address space is nearly empty: a
 * child forked from it starts with almost nothing resident, so the kernel's peak
 * resident size of the command is the command's own.
 * Build: scripts/build_launcher.sh (x86-64 Linux). */
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

struct timespec_ { long tv_sec; long tv_nsec; };
struct timeval_ { long tv_sec; long tv_usec; };
struct rusage_ { struct timeval_ utime, stime; long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw; };

static long sys1(long n, long a) { long r; __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx","r11","memory"); return r; }
static long sys3(long n, long a, long b, long c) { long r; __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx","r11","memory"); return r; }
static long sys4(long n, long a, long b, long c, long d) { long r; register long r10 __asm__("r10") = d; __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx","r11","memory"); return r; }

struct record { int64_t kind; int64_t a; int64_t b; int64_t c; int64_t d; int64_t e; int64_t f; int64_t g; };

static void put(int64_t kind, int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g) {
    struct record r = {kind, a, b, c, d, e, f, g};
    sys3(SYS_write, 3, (long)&r, sizeof r);
}

static int64_t now(void) { struct timespec_ t; sys3(SYS_clock_gettime, 1, (long)&t, 0); return t.tv_sec * 1000000000LL + t.tv_nsec; }

void cmain(long *sp) {
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    sys3(SYS_fcntl, 3, 2 /*F_SETFD*/, 1 /*FD_CLOEXEC*/);
    int64_t t0 = now();
    long pid = sys1(SYS_fork, 0);
    if (pid == 0) {
        long err = sys3(SYS_execve, (long)argv[1], (long)(argv + 2), (long)envp);
        put(1, -err, 0, 0, 0, 0, 0, 0);
        sys1(SYS_exit_group, 127);
    }
    put(0, pid, t0, 0, 0, 0, 0, 0);
    int status = 0; struct rusage_ ru;
    long r;
    do { r = sys4(SYS_wait4, pid, (long)&status, 0, (long)&ru); } while (r == -4);
    int64_t t1 = now();
    put(2, status, t1 - t0, ru.utime.tv_sec * 1000000LL + ru.utime.tv_usec, ru.stime.tv_sec * 1000000LL + ru.stime.tv_usec, ru.maxrss, t1, 0);
    sys1(SYS_exit_group, 0);
}
__asm__(".global _start\n_start:\n mov %rsp, %rdi\n and $-16, %rsp\n call cmain\n hlt\n");
