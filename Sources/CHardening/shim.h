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
