#ifndef DEMARC_CSYSTEM_SHIM_H
#define DEMARC_CSYSTEM_SHIM_H
/* File and allocator calls Swift's Glibc module does not offer. Header only. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/syscall.h>

/* Swaps the names `from` and `to` atomically (renameat2 with RENAME_EXCHANGE, Linux 3.15+):
   0, or -1 with errno (EINVAL where the file system cannot, ENOSYS where the kernel cannot).
   A report replaces the last one this way: a rename over an existing file makes ext4 write
   the new file back within the rename (auto_da_alloc), 90-110 ms for 200 MB of jsonl
   (bench/RESULTS.md, twelfth session). */
static inline int demarc_exchange(const char *from, const char *to) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/* Has glibc's allocator keep what the process frees for its next allocations: blocks up to
   32 MiB from the heap instead of a mapping each, the heap never trimmed, grown 64 MiB at a
   time (Demarc.keepFreedMemory says why). */
static inline void demarc_keep_freed_memory(void) {
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
    (void)mallopt(M_TOP_PAD, 64 << 20);
}
#endif
