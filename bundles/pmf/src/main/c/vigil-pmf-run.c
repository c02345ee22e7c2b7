/*
 * vigil-pmf-run: watches one process tree for Vigil's process monitor facility (Linux only).
 *
 *   vigil-pmf-run --notify <socket-path> --level <n> -- <program> [args...]
 *
 * It becomes the leader of a new session (its pid is the session id of the whole tree) and a
 * child subreaper (orphaned descendants are re-parented to it, so it can wait for every one of
 * them), creates a listening Unix socket at <socket-path> (mode 0600; a stale socket there is
 * removed first) and runs the program in a child: same environment and working directory, stdin
 * /dev/null, stdout and stderr inherited, every other descriptor closed, every signal at its
 * default action and unblocked.
 *
 * Protocol: each client that connects is sent, one line each,
 *   pid <program-pid> <shim-pid> <started-unix-ms>   at once, when the program was started
 *   exit <code> | signal <n>                          when the tree is over: how the program ended
 *   error <message>                                   instead of both when it could not be executed
 * after which the socket is closed. Clients need not write; what they write is ignored.
 *
 * The tree is over at level 0 when the program has died; at level -1 (and, as an approximation,
 * at any level above 0) when no child is left at all, re-parented descendants included. Then the
 * socket is unlinked (only if it is still ours), every client is told, and the shim exits with
 * the program's exit code, or 128 + the signal that killed it. If no client has connected yet it
 * first waits up to LINGER_MS for one, so that a quick death is not missed. At level 0 it goes on
 * reaping the descendants left running, without a socket, and exits when the last is gone.
 *
 * SIGTERM, SIGINT, SIGHUP and SIGPIPE are ignored: the shim ends only with its tree (the agent
 * signals the tree's processes, never the shim). Exit 125: the shim could not set itself up and
 * started nothing. Exit 127: the program could not be executed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_SETUP 125
#define EXIT_EXEC 127
#define MAX_CLIENTS 64
#define LINGER_MS 5000

static const char *socket_path;
static struct stat socket_stat;
static int listen_fd = -1;
static int clients[MAX_CLIENTS];
static int nclients;
static int ever_connected;
static char greeting[96];

static void say(const char *fmt, ...) {
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        strcpy(stamp, "-");
    }
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s vigil-pmf-run[%ld]: ", stamp, (long) getpid());
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void fail(const char *what) {
    say("%s: %s", what, strerror(errno));
    exit(EXIT_SETUP);
}

static void usage(void) {
    fprintf(stderr, "usage: vigil-pmf-run --notify <socket-path> --level <n> -- <program> [args...]\n");
    exit(EXIT_SETUP);
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends a short line without blocking and without SIGPIPE; a client that cannot take it misses it. */
static void send_line(int fd, const char *line) {
    size_t len = strlen(line);
    ssize_t n;
    do {
        n = send(fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
}

static void drop_client(int k) {
    close(clients[k]);
    clients[k] = clients[--nclients];
}

/* Accepts every pending connection and greets it. */
static void accept_all(void) {
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            return; /* EAGAIN: none left; anything else: try again on the next wake-up */
        }
        if (nclients == MAX_CLIENTS) {
            close(fd);
            continue;
        }
        ever_connected = 1;
        if (greeting[0] != '\0') {
            send_line(fd, greeting);
        }
        clients[nclients++] = fd;
    }
}

/* Reads and discards what clients wrote; drops those that closed. */
static void serve_clients(const struct pollfd *pfd, int polled) {
    for (int k = polled - 1; k >= 0; k--) {
        if ((pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
            continue;
        }
        char buf[256];
        ssize_t n = read(clients[k], buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            drop_client(k);
        }
    }
}

/* Removes the socket unless another shim has put its own in its place meanwhile. */
static void unlink_socket(void) {
    struct stat st;
    if (stat(socket_path, &st) == 0 && st.st_dev == socket_stat.st_dev && st.st_ino == socket_stat.st_ino) {
        unlink(socket_path);
    }
}

/* Reaps every child that has ended. Returns 1 when no child is left, 0 otherwise. */
static int reap(pid_t program, int *program_done, int *program_status) {
    for (;;) {
        int status;
        pid_t p = waitpid(-1, &status, WNOHANG);
        if (p > 0) {
            if (p == program) {
                *program_done = 1;
                *program_status = status;
            }
            continue;
        }
        if (p == 0) {
            return 0;
        }
        if (errno == EINTR) {
            continue;
        }
        return errno == ECHILD;
    }
}

static void drain_signalfd(int sfd) {
    struct signalfd_siginfo si;
    ssize_t n;
    do {
        n = read(sfd, &si, sizeof si);
    } while (n > 0 || (n < 0 && errno == EINTR));
}

/*
 * When nobody has connected yet, waits up to LINGER_MS for a first client, reaping meanwhile
 * (sfd < 0: nothing to reap), so that the agent that launched this shim learns the outcome.
 */
static void linger(int sfd, pid_t program, int *program_done, int *program_status) {
    long long deadline = now_ms() + LINGER_MS;
    while (!ever_connected) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            return;
        }
        struct pollfd pfd[2] = {{listen_fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        int r = poll(pfd, sfd >= 0 ? 2 : 1, (int) left);
        if (r < 0 && errno != EINTR) {
            return;
        }
        if (sfd >= 0 && (pfd[1].revents & POLLIN)) {
            drain_signalfd(sfd);
            reap(program, program_done, program_status);
        }
        if (pfd[0].revents & POLLIN) {
            accept_all();
        }
    }
}

/* Tells every client, after the late ones have been accepted, then closes the socket. */
static void finish(const char *line) {
    unlink_socket();
    accept_all();
    for (int k = 0; k < nclients; k++) {
        send_line(clients[k], line);
        close(clients[k]);
    }
    nclients = 0;
    close(listen_fd);
    listen_fd = -1;
}

/* Closes every descriptor from 3 up, except keep. */
static void close_fds_except(int keep) {
#ifdef SYS_close_range
    int ok = 1;
    if (keep > 3) {
        ok = syscall(SYS_close_range, 3u, (unsigned) keep - 1, 0u) == 0;
    }
    if (ok && syscall(SYS_close_range, (unsigned) keep + 1, ~0u, 0u) == 0) {
        return;
    }
#endif
    struct rlimit rl;
    long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (long) rl.rlim_cur : 65536;
    for (long fd = 3; fd < max; fd++) {
        if (fd != keep) {
            close((int) fd);
        }
    }
}

static int make_socket(const char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        fail(path);
    }
    strcpy(addr.sun_path, path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            errno = EEXIST;
            fail("notify path exists and is not a socket");
        }
        if (unlink(path) < 0 && errno != ENOENT) {
            fail("cannot remove stale socket");
        }
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        fail("socket");
    }
    mode_t old = umask(077);
    int r = bind(fd, (struct sockaddr *) &addr, sizeof addr);
    umask(old);
    if (r < 0) {
        fail(path);
    }
    if (chmod(path, 0600) < 0 || stat(path, &socket_stat) < 0 || listen(fd, 16) < 0) {
        int e = errno;
        unlink(path);
        errno = e;
        fail(path);
    }
    return fd;
}

int main(int argc, char **argv) {
    const char *level_arg = NULL;
    int i = 1;
    while (i < argc) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc) {
            usage();
        }
        if (strcmp(argv[i], "--notify") == 0) {
            socket_path = argv[i + 1];
        } else if (strcmp(argv[i], "--level") == 0) {
            level_arg = argv[i + 1];
        } else {
            usage();
        }
        i += 2;
    }
    if (socket_path == NULL || level_arg == NULL || i >= argc || argv[i][0] == '\0') {
        usage();
    }
    char *end;
    errno = 0;
    long level = strtol(level_arg, &end, 10);
    if (errno != 0 || *end != '\0' || end == level_arg || level < -1 || level > INT_MAX) {
        usage();
    }
    char **program_argv = &argv[i];

    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    if (setsid() < 0) {
        fail("setsid (run it from a process that is not a process group leader)");
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
        fail("prctl(PR_SET_CHILD_SUBREAPER)");
    }

    /*
     * Every signal stays blocked until the child has reset its dispositions: a signal sent to
     * the program that early is then held, not discarded as ignored, and acts after the reset.
     */
    sigset_t all, chld_only, none;
    sigfillset(&all);
    sigemptyset(&chld_only);
    sigaddset(&chld_only, SIGCHLD);
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &all, NULL) < 0) {
        fail("sigprocmask");
    }
    int sfd = signalfd(-1, &chld_only, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        fail("signalfd");
    }
    listen_fd = make_socket(socket_path);
    int exec_pipe[2];
    if (pipe2(exec_pipe, O_CLOEXEC) < 0) {
        int e = errno;
        unlink_socket();
        errno = e;
        fail("pipe");
    }

    long long started = now_ms();
    pid_t program = fork();
    if (program < 0) {
        int e = errno;
        unlink_socket();
        errno = e;
        fail("fork");
    }
    if (program == 0) {
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        for (int s = 1; s < NSIG; s++) {
            sigaction(s, &dfl, NULL); /* fails harmlessly for SIGKILL, SIGSTOP and reserved ones */
        }
        close_fds_except(exec_pipe[1]);
        int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null_fd >= 0) {
            dup2(null_fd, 0);
            close(null_fd);
        }
        sigprocmask(SIG_SETMASK, &none, NULL);
        execv(program_argv[0], program_argv);
        int e = errno;
        ssize_t n;
        do {
            n = write(exec_pipe[1], &e, sizeof e);
        } while (n < 0 && errno == EINTR);
        _exit(EXIT_EXEC);
    }
    close(exec_pipe[1]);
    sigprocmask(SIG_SETMASK, &chld_only, NULL);

    int program_done = 0, program_status = 0;
    int exec_errno = 0;
    ssize_t n;
    do {
        n = read(exec_pipe[0], &exec_errno, sizeof exec_errno);
    } while (n < 0 && errno == EINTR);
    close(exec_pipe[0]);
    if (n == (ssize_t) sizeof exec_errno) {
        char line[PATH_MAX + 128];
        snprintf(line, sizeof line, "error cannot execute %s: %s\n", program_argv[0], strerror(exec_errno));
        say("%.*s", (int) strlen(line) - 7, line + 6);
        while (waitpid(program, NULL, 0) < 0 && errno == EINTR) {
        }
        linger(-1, program, &program_done, &program_status);
        finish(line);
        return EXIT_EXEC;
    }
    snprintf(greeting, sizeof greeting, "pid %ld %ld %lld\n", (long) program, (long) getpid(), started);
    say("started %s as pid %ld (level %ld)", program_argv[0], (long) program, level);

    struct pollfd pfd[MAX_CLIENTS + 2];
    for (;;) {
        int no_children = reap(program, &program_done, &program_status);
        if (program_done && (level == 0 || no_children)) {
            break;
        }
        int polled = nclients;
        for (int k = 0; k < polled; k++) {
            pfd[k].fd = clients[k];
            pfd[k].events = POLLIN;
            pfd[k].revents = 0;
        }
        pfd[polled].fd = sfd;
        pfd[polled].events = POLLIN;
        pfd[polled].revents = 0;
        pfd[polled + 1].fd = listen_fd;
        pfd[polled + 1].events = POLLIN;
        pfd[polled + 1].revents = 0;
        if (poll(pfd, (nfds_t) polled + 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("poll");
        }
        if (pfd[polled].revents & POLLIN) {
            drain_signalfd(sfd);
        }
        serve_clients(pfd, polled);
        if (pfd[polled + 1].revents & POLLIN) {
            accept_all();
        }
    }

    linger(sfd, program, &program_done, &program_status);
    char line[64];
    int code;
    if (WIFSIGNALED(program_status)) {
        snprintf(line, sizeof line, "signal %d\n", WTERMSIG(program_status));
        code = 128 + WTERMSIG(program_status);
    } else {
        snprintf(line, sizeof line, "exit %d\n", WEXITSTATUS(program_status));
        code = WEXITSTATUS(program_status);
    }
    say("%s (pid %ld) ended: %.*s; tree over", program_argv[0], (long) program, (int) strlen(line) - 1, line);
    finish(line);
    /* level 0: the descendants left running are no longer watched, but still reaped here */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
    }
    return code;
}
