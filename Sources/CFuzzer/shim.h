#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry for a program that has its own main (LLVM 11 and later).
   Declared only: it is linked by -sanitize=fuzzer in scripts/fuzz.sh, and a
   normal build never calls it. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
