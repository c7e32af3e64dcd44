#ifndef DEMARC_CFILEOPS_SHIM_H
#define DEMARC_CFILEOPS_SHIM_H
/* File operations Swift's Glibc module does not offer. Header only. */
#include <errno.h>
#include <fcntl.h>
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
#endif
