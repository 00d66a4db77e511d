/* OpenSSL's libcrypto, for SHA-1 only: the pack and index trailers and the
   ids of the objects an erasure writes. libgit2 already loads it (through
   libssh2); its SHA-1 uses the CPU's SHA extensions, about four times the
   speed of libgit2's collision-detecting SHA-1 or a portable one. Nothing
   here protects a secret: libsodium does that. */
#include <openssl/evp.h>
