#include <git2.h>
/* git_repository_set_odb: the purge swaps in a fresh object database so that
   the open repository stops holding deleted packs open. */
#include <git2/sys/repository.h>
/* zlib, which libgit2 itself links: the purge and the remnant scan inflate
   loose objects themselves, without libgit2's existence check and stat per
   object, which cost more than the inflating on a vault of 60,000 objects. */
#include <zlib.h>

/* git_libgit2_opts is variadic, which Swift cannot call; these fixed-argument
   wrappers are the only calls dangol makes to it. */
static inline int dangol_git_enable_fsync(int on) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, on);
}

static inline int dangol_git_set_search_path(git_config_level_t level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

static inline int dangol_git_strict_hash_verification(int on) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on);
}

/* deflateInit, inflateInit and inflateInit2 are macros, which Swift cannot call. */
static inline int dangol_inflate_init(z_stream *stream) {
    return inflateInit(stream);
}

static inline int dangol_deflate_init(z_stream *stream, int level) {
    return deflateInit(stream, level);
}

/* Raw deflate: no zlib header or Adler-32 trailer handled by zlib. */
static inline int dangol_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}

/* Linux's syncfs, which glibc declares only under _GNU_SOURCE: the purge
   makes all its unlinks durable with one call instead of an fsync of each
   of 256 fan-out directories. */
extern int syncfs(int fd);
static inline int dangol_syncfs(int fd) {
    return syncfs(fd);
}
