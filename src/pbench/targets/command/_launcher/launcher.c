/* pbench launcher: a tiny resident process that starts commands for pbench.
 *
 * Why: a child forked or vforked from pbench (a Python process of tens of MB)
 * inherits pbench's resident size into the kernel's ru_maxrss when it calls exec,
 * so `/bin/true` would "use" 30 MB. Forked from this freestanding program (no
 * libc, a few pages resident) a command's ru_maxrss is its own, as with GNU time.
 * It stays resident for a whole benchmark, so a run costs a vfork and an exec, as
 * with posix_spawn, not an extra exec of the launcher.
 *
 * Protocol. pbench starts it with the commands' stdin/stdout/stderr on fds 0-2,
 * requests on fd 3 and records on fd 4. A request is three little-endian int64
 * (payload length, argc, envc) and a payload of NUL-terminated strings: the
 * program's path, argc arguments, envc environment entries. For each request it
 * vforks; the child makes itself a process-group leader (so that pbench can kill
 * the tree) and execs. Records are eight little-endian int64:
 *   kind 0  started:      child pid, CLOCK_MONOTONIC at fork (ns)  (sent after the
 *                         reap, with kind 2, so that pbench is not woken meanwhile)
 *   kind 1  exec failed:  errno  (sent with kinds 0 and 2)
 *   kind 2  finished:     wait status, ns from fork to reap, user us, system us,
 *                         ru_maxrss KiB, ru_inblock, ru_oublock (512-byte blocks)
 *   kind 3  fork failed:  errno
 * End of file on fd 3 makes it exit. Build: scripts/build_launcher.sh (x86-64).
 *
 * Nothing outlives pbench. While a command runs the launcher waits on two things at
 * once (poll): the command's pidfd and fd 3. fd 3 becomes readable (end of file) only
 * when pbench closed it or died, even by kill -9: the launcher then stops and kills
 * the command's whole tree (its process group, and every descendant found through
 * /proc/PID/task/TID/children, which catches those that left the group), reaps the
 * command and exits. The command itself starts with PR_SET_PDEATHSIG = SIGKILL, so
 * it dies with the launcher should the launcher be killed. (Not the launcher's own
 * parent-death signal: the kernel sends that when the *thread* that started it ends,
 * and pbench starts launchers from worker threads too; and a SIGKILL would race with
 * the launcher's killing of the tree.) */
#include <stdint.h>
#include <sys/syscall.h>

#define REQUEST_MAX (1L << 20)
#define POINTERS_MAX 16384

struct timespec_ { long tv_sec; long tv_nsec; };
struct timeval_ { long tv_sec; long tv_usec; };
struct rusage_ {
    struct timeval_ utime, stime;
    long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, rest[5];
};

struct pollfd_ { int fd; short events, revents; };

static char request[REQUEST_MAX];
static char *pointers[POINTERS_MAX + 2];

static long sys3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static long sys4(long n, long a, long b, long c, long d) {
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}

/* Records are gathered here and written together by flush(): one write, one wakeup
 * of pbench per run, whatever the records of that run. */
static int64_t records[4 * 8];
static long recorded;
static void put(int64_t kind, int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                int64_t g) {
    int64_t *r = records + 8 * recorded++;
    r[0] = kind; r[1] = a; r[2] = b; r[3] = c; r[4] = d; r[5] = e; r[6] = f; r[7] = g;
}
static void flush(void) {
    char *p = (char *)records;
    long left = recorded * 8 * (long)sizeof(int64_t);
    recorded = 0;
    while (left > 0) {
        long n = sys3(SYS_write, 4, (long)p, left);
        if (n == -4) continue;  /* EINTR */
        if (n <= 0) sys3(SYS_exit_group, 3, 0, 0);
        p += n; left -= n;
    }
}

static int64_t now(void) {
    struct timespec_ t;
    sys3(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)&t, 0);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

#define TREE_MAX 8192
static long tree[TREE_MAX];
static char text[1 << 16];

/* p followed by the decimal digits of v (v >= 0); returns the new end. */
static char *append_number(char *p, long v) {
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = digits[--n];
    return p;
}

static char *append(char *p, const char *s) {
    while (*s) *p++ = *s++;
    return p;
}

/* Add the children of thread tid of process pid to the tree. */
static long add_children(long pid, long tid, long n) {
    char path[80];
    char *e = append_number(append(path, "/proc/"), pid);
    e = append_number(append(e, "/task/"), tid);
    *append(e, "/children") = 0;
    long fd = sys3(SYS_open, (long)path, 0 /* O_RDONLY */ | 02000000 /* O_CLOEXEC */, 0);
    if (fd < 0) return n;
    long length = 0, got;
    while (length < (long)sizeof text - 1
           && (got = sys3(SYS_read, fd, (long)text + length, sizeof text - 1 - length)) > 0)
        length += got;
    sys3(SYS_close, fd, 0, 0);
    long v = -1;
    for (long i = 0; i <= length; i++) {
        char c = i < length ? text[i] : ' ';
        if (c >= '0' && c <= '9') {
            v = (v < 0 ? 0 : v * 10) + (c - '0');
        } else if (v > 0) {
            if (n < TREE_MAX) tree[n++] = v;
            v = -1;
        }
    }
    return n;
}

/* pbench is gone: stop the command's tree (stopped processes fork no more), kill it. */
static void kill_tree(long root) {
    long n = 0;
    tree[n++] = root;
    for (long i = 0; i < n; i++) {
        long pid = tree[i];
        sys3(SYS_kill, pid, 19 /* SIGSTOP */, 0);
        char path[48];
        *append(append_number(append(path, "/proc/"), pid), "/task") = 0;
        long dir = sys3(SYS_open, (long)path, 0200000 /* O_DIRECTORY */ | 02000000, 0);
        if (dir < 0) continue;
        char entries[4096];
        long got;
        while ((got = sys3(SYS_getdents64, dir, (long)entries, sizeof entries)) > 0) {
            for (long at = 0; at < got;) {
                char *entry = entries + at;
                unsigned short reclen = *(unsigned short *)(entry + 16);
                const char *name = entry + 19;
                long tid = 0;
                while (*name >= '0' && *name <= '9') tid = tid * 10 + (*name++ - '0');
                if (tid > 0 && *name == 0) n = add_children(pid, tid, n);
                at += reclen;
            }
        }
        sys3(SYS_close, dir, 0, 0);
    }
    sys3(SYS_kill, -root, 9 /* SIGKILL */, 0);
    for (long i = 0; i < n; i++) sys3(SYS_kill, tree[i], 9, 0);
}

/* Wait until the command exits; if fd 3 ends first (pbench closed it, or died), kill
 * the command's tree, reap it and exit. Without pidfds (Linux < 5.3), just wait. */
static void watch(long pid) {
    long pidfd = sys3(434 /* SYS_pidfd_open */, pid, 0, 0);
    if (pidfd < 0) return;
    struct pollfd_ fds[2] = {{3, 1 /* POLLIN */, 0}, {(int)pidfd, 1, 0}};
    for (;;) {
        long r = sys3(SYS_poll, (long)fds, 2, -1);
        if (r == -4) continue;
        if (r < 0 || fds[1].revents) break;
        if (fds[0].revents) {
            kill_tree(pid);
            int status;
            while (sys4(SYS_wait4, pid, (long)&status, 0, 0) == -4) {}
            sys3(SYS_exit_group, 0, 0, 0);
        }
    }
    sys3(SYS_close, pidfd, 0, 0);
}

static int read_full(char *p, long n) {
    while (n > 0) {
        long got = sys3(SYS_read, 3, (long)p, n);
        if (got == -4) continue;
        if (got <= 0) return -1;
        p += got; n -= got;
    }
    return 0;
}

/* Point at the next string of the payload; 0 when it runs past the end. */
static char *next(char *p, char *end) {
    while (p < end && *p) p++;
    return p < end ? p + 1 : 0;
}

/* The errno of a failed exec, stored by the vfork child in the memory it shares. */
static volatile int64_t exec_errno;

/* vfork, then in the child: a parent-death signal, setpgid(0, 0) and execve, or on
 * failure store errno and exit 127. Written as one block of assembly so that the child,
 * which runs on the parent's stack until it execs, never calls a function or touches
 * memory other than exec_errno. vfork rather than fork: no copy of even this small address space, so a
 * run costs what hyperfine's posix_spawn costs. Returns the child's pid, or -errno. */
static long spawn(const char *path, char **argv, char **envp) {
    long result;
    register long r12 __asm__("r12") = (long)path;
    register long r13 __asm__("r13") = (long)argv;
    register long r14 __asm__("r14") = (long)envp;
    register long r15 __asm__("r15") = (long)&exec_errno;
    __asm__ volatile (
        "mov $58, %%eax\n\t"          /* SYS_vfork */
        "syscall\n\t"
        "test %%rax, %%rax\n\t"
        "jnz 1f\n\t"
        "mov $157, %%eax\n\t"         /* child: SYS_prctl(PR_SET_PDEATHSIG, SIGKILL) */
        "mov $1, %%edi\n\t"
        "mov $9, %%esi\n\t"
        "syscall\n\t"
        "mov $109, %%eax\n\t"         /* SYS_setpgid(0, 0) */
        "xor %%edi, %%edi\n\t"
        "xor %%esi, %%esi\n\t"
        "syscall\n\t"
        "mov %%r12, %%rdi\n\t"        /* SYS_execve(path, argv, envp) */
        "mov %%r13, %%rsi\n\t"
        "mov %%r14, %%rdx\n\t"
        "mov $59, %%eax\n\t"
        "syscall\n\t"
        "neg %%rax\n\t"               /* exec failed: store errno, exit 127 */
        "mov %%rax, (%%r15)\n\t"
        "mov $127, %%edi\n\t"
        "mov $231, %%eax\n\t"         /* SYS_exit_group */
        "syscall\n\t"
        "1:\n\t"
        : "=a"(result)
        : "r"(r12), "r"(r13), "r"(r14), "r"(r15)
        : "rcx", "r11", "rdi", "rsi", "rdx", "memory");
    return result;
}

void cmain(void) {
    sys3(SYS_fcntl, 3, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
    sys3(SYS_fcntl, 4, 2, 1);
    for (;;) {
        int64_t header[3];
        if (read_full((char *)header, sizeof header) < 0) sys3(SYS_exit_group, 0, 0, 0);
        long length = header[0], argc = header[1], envc = header[2];
        if (length <= 0 || length > REQUEST_MAX || argc < 1 || envc < 0 || argc + envc > POINTERS_MAX)
            sys3(SYS_exit_group, 2, 0, 0);
        if (read_full(request, length) < 0) sys3(SYS_exit_group, 0, 0, 0);
        char *end = request + length;
        char *path = request;
        char *p = next(path, end);
        char **argv = pointers;
        for (long i = 0; i < argc; i++) { argv[i] = p; p = p ? next(p, end) : 0; }
        argv[argc] = 0;
        char **envp = pointers + argc + 1;
        for (long i = 0; i < envc; i++) { envp[i] = p; p = p ? next(p, end) : 0; }
        envp[envc] = 0;
        if (p != end) sys3(SYS_exit_group, 2, 0, 0);  /* a string ran past the payload */
        int64_t t0 = now();
        long pid = spawn(path, argv, envp);
        if (pid > 0 && exec_errno) {
            put(1, exec_errno, 0, 0, 0, 0, 0, 0);
            exec_errno = 0;
        }
        if (pid < 0) { put(3, -pid, 0, 0, 0, 0, 0, 0); flush(); continue; }
        watch(pid);
        int status = 0;
        struct rusage_ ru;
        long r;
        do { r = sys4(SYS_wait4, pid, (long)&status, 0, (long)&ru); } while (r == -4);
        int64_t t1 = now();
        put(0, pid, t0, 0, 0, 0, 0, 0);  /* after the reap: pbench sleeps until then */
        put(2, status, t1 - t0, ru.utime.tv_sec * 1000000LL + ru.utime.tv_usec,
            ru.stime.tv_sec * 1000000LL + ru.stime.tv_usec, ru.maxrss, ru.inblock, ru.oublock);
        flush();  /* exec failed (if so), started, finished: in one write */
    }
}

__asm__(".global _start\n_start:\n and $-16, %rsp\n call cmain\n hlt\n");
