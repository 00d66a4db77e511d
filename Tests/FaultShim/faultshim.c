// A file system that fails writes, for one process: an LD_PRELOAD shim that
// counts every call that writes under one directory and makes the chosen one
// fail, as a dying disk or a full one would. The fault tests compile it with
// the system's cc and drive dangol with it (Tests/dangolTests/FaultTests.swift).
//
//   FAULTSHIM_DIR    absolute path: only calls on files under it count
//   FAULTSHIM_AT     the 1-based number of the call that fails (0: none fails)
//   FAULTSHIM_STICKY 1: that call and every later one fails (a disk that
//                    stays broken), else only that one (a transient fault)
//   FAULTSHIM_ERRNO  the error: EIO (default) or ENOSPC
//   FAULTSHIM_COUNT  a file that receives, at exit, how many calls counted
//
// Counted calls: open/openat that create or write, write, pwrite, writev,
// fsync, fdatasync, ftruncate, rename, renameat, link, unlink, mkdir. A read
// never fails. The shim only delegates (dlsym RTLD_NEXT) and never writes
// under FAULTSHIM_DIR itself.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *dir;
static size_t dir_len;
static long fail_at;
static int sticky;
static int fault_errno = EIO;
static atomic_long calls;
static char count_path[PATH_MAX];

__attribute__((constructor)) static void setup(void) {
    dir = getenv("FAULTSHIM_DIR");
    dir_len = dir ? strlen(dir) : 0;
    const char *at = getenv("FAULTSHIM_AT");
    fail_at = at ? atol(at) : 0;
    const char *s = getenv("FAULTSHIM_STICKY");
    sticky = s && strcmp(s, "1") == 0;
    const char *e = getenv("FAULTSHIM_ERRNO");
    if (e && strcmp(e, "ENOSPC") == 0) fault_errno = ENOSPC;
    const char *c = getenv("FAULTSHIM_COUNT");
    if (c) snprintf(count_path, sizeof count_path, "%s", c);
    // Only this process sees the faulty disk: a child dangol starts (the
    // detached mirror update) finds the disk healthy again.
    unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void report(void) {
    if (!count_path[0]) return;
    FILE *f = fopen(count_path, "w");
    if (!f) return;
    fprintf(f, "%ld\n", atomic_load(&calls));
    fclose(f);
}

static int under(const char *path) {
    if (!dir || !path || dir_len == 0) return 0;
    if (strncmp(path, dir, dir_len) != 0) return 0;
    return path[dir_len] == '/' || path[dir_len] == '\0';
}

// Relative paths are resolved against the working directory; dangol and
// libgit2 mostly pass absolute ones.
static int path_under(int dirfd, const char *path) {
    if (!path) return 0;
    if (path[0] == '/') return under(path);
    char base[PATH_MAX], full[PATH_MAX * 2];
    if (dirfd == AT_FDCWD) {
        if (!getcwd(base, sizeof base)) return 0;
    } else {
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(link, base, sizeof base - 1);
        if (n < 0) return 0;
        base[n] = '\0';
    }
    snprintf(full, sizeof full, "%s/%s", base, path);
    return under(full);
}

static int fd_under(int fd, char target[PATH_MAX]) {
    if (!dir) return 0;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, PATH_MAX - 1);
    if (n < 0) return 0;
    target[n] = '\0';
    return under(target);
}

// Counts one write call under the directory; true when it is to fail.
// FAULTSHIM_TRACE=1 names each failed call on stderr.
static int fault(const char *call, const char *path) {
    long n = atomic_fetch_add(&calls, 1) + 1;
    if (fail_at <= 0) return 0;
    if (n == fail_at || (sticky && n > fail_at)) {
        if (getenv("FAULTSHIM_TRACE")) {
            char line[PATH_MAX + 64];
            int len = snprintf(line, sizeof line, "faultshim: call %ld %s %s\n", n, call, path);
            static __typeof__(write) *w;
            if (!w) w = dlsym(RTLD_NEXT, "write");
            if (len > 0) w(2, line, (size_t)len);
        }
        errno = fault_errno;
        return 1;
    }
    return 0;
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = dlsym(RTLD_NEXT, #name)

static int writes(int flags) { return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0; }

int open(const char *path, int flags, ...) {
    REAL(open);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    if (writes(flags) && path_under(AT_FDCWD, path) && fault("open", path)) return -1;
    return real(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    REAL(open64);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    if (writes(flags) && path_under(AT_FDCWD, path) && fault("open64", path)) return -1;
    return real(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    REAL(openat);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    if (writes(flags) && path_under(dirfd, path) && fault("openat", path)) return -1;
    return real(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    REAL(openat64);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
    if (writes(flags) && path_under(dirfd, path) && fault("openat64", path)) return -1;
    return real(dirfd, path, flags, mode);
}

int __open_2(const char *path, int flags) {
    REAL(__open_2);
    if (writes(flags) && path_under(AT_FDCWD, path) && fault("__open_2", path)) return -1;
    return real(path, flags);
}

int __open64_2(const char *path, int flags) {
    REAL(__open64_2);
    if (writes(flags) && path_under(AT_FDCWD, path) && fault("__open64_2", path)) return -1;
    return real(path, flags);
}

int creat(const char *path, mode_t mode) {
    REAL(creat);
    if (path_under(AT_FDCWD, path) && fault("creat", path)) return -1;
    return real(path, mode);
}

ssize_t write(int fd, const void *buf, size_t n) {
    char file[PATH_MAX];
    REAL(write);
    if (fd_under(fd, file) && fault("write", file)) return -1;
    return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    char file[PATH_MAX];
    REAL(pwrite);
    if (fd_under(fd, file) && fault("pwrite", file)) return -1;
    return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off) {
    char file[PATH_MAX];
    REAL(pwrite64);
    if (fd_under(fd, file) && fault("pwrite64", file)) return -1;
    return real(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    char file[PATH_MAX];
    REAL(writev);
    if (fd_under(fd, file) && fault("writev", file)) return -1;
    return real(fd, iov, count);
}

int fsync(int fd) {
    char file[PATH_MAX];
    REAL(fsync);
    if (fd_under(fd, file) && fault("fsync", file)) return -1;
    return real(fd);
}

int fdatasync(int fd) {
    char file[PATH_MAX];
    REAL(fdatasync);
    if (fd_under(fd, file) && fault("fdatasync", file)) return -1;
    return real(fd);
}

int ftruncate(int fd, off_t length) {
    char file[PATH_MAX];
    REAL(ftruncate);
    if (fd_under(fd, file) && fault("ftruncate", file)) return -1;
    return real(fd, length);
}

int rename(const char *from, const char *to) {
    REAL(rename);
    if ((path_under(AT_FDCWD, from) || path_under(AT_FDCWD, to)) && fault("rename", to)) return -1;
    return real(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
    REAL(renameat);
    if ((path_under(fromfd, from) || path_under(tofd, to)) && fault("renameat", to)) return -1;
    return real(fromfd, from, tofd, to);
}

int link(const char *from, const char *to) {
    REAL(link);
    if (path_under(AT_FDCWD, to) && fault("link", to)) return -1;
    return real(from, to);
}

int unlink(const char *path) {
    REAL(unlink);
    if (path_under(AT_FDCWD, path) && fault("unlink", path)) return -1;
    return real(path);
}

int mkdir(const char *path, mode_t mode) {
    REAL(mkdir);
    if (path_under(AT_FDCWD, path) && fault("mkdir", path)) return -1;
    return real(path, mode);
}
