#ifndef DEMARC_CHINTS_SHIM_H
#define DEMARC_CHINTS_SHIM_H
/* Hints to the CPU that Swift has no word for. Header only; the compiler inlines them. */

/* Fetch the cache line at `address` for reading (a hint: never faults, never waits).
   A report reads each finding's records from rows scattered over hundreds of megabytes: asked
   for a few findings ahead, the lines are there when the finding is written (bench/RESULTS.md,
   eleventh session). */
static inline __attribute__((always_inline)) void demarc_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
#endif
