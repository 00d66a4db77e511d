#include <git2.h>
/* git_repository_set_odb: the purge swaps in a fresh object database so that
   the open repository stops holding deleted packs open. */
#include <git2/sys/repository.h>

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
