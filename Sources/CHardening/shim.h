#include <sys/prctl.h>
#include <sys/resource.h>

/* prctl is variadic, which Swift cannot call directly. */
static inline int dangol_disable_core_dumps(void) {
    struct rlimit none = {0, 0};
    int a = setrlimit(RLIMIT_CORE, &none);
    /* Not dumpable: no core file even when core_pattern pipes to a helper, and
       other processes of the same user cannot ptrace us or read /proc/PID/mem. */
    int b = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return (a == 0 && b == 0) ? 0 : -1;
}

#include <sys/vfs.h>

/* The file-system type of a path (statfs's f_type), or -1. Used to tell a
   RAM-backed directory (tmpfs, ramfs) from a disk. */
static inline long dangol_filesystem_type(const char *path) {
    struct statfs st;
    if (statfs(path, &st) != 0) return -1;
    return (long)st.f_type;
}

#include <sys/socket.h>

/* The uid of the process at the other end of a Unix socket (SO_PEERCRED),
   or -1. struct ucred hides behind _GNU_SOURCE in glibc's headers, which the
   Swift importer does not set; the kernel's layout is pid, uid, gid. */
struct dangol_ucred { int pid; unsigned int uid; unsigned int gid; };
static inline long dangol_peer_uid(int fd) {
    struct dangol_ucred c;
    socklen_t n = sizeof c;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &n) != 0 || n != sizeof c) return -1;
    return (long)c.uid;
}
