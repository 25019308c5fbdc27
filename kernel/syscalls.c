/* The system-call stubs newlib expects (it is built without its own,
 * DESIGN.md section 7): output goes to the console, the heap is the RAM
 * after the image, everything else fails cleanly. Both the underscored
 * names (aarch64, riscv) and the plain ones (powerpc-eabi) are provided. */
#include "console.h"
#include "exit.h"
#include <errno.h>
#include <sys/stat.h>
#include <spinlock.h>

#undef errno
extern int errno;

extern char __heap_start[], __heap_end[];
static char *heap_top;
static DEFINE_SPINLOCK(heap_lock);

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    console_write(buf, (size_t)len);
    return len;
}

void *_sbrk(ptrdiff_t incr)
{
    void *old;

    spin_lock(&heap_lock);
    if (!heap_top)
        heap_top = __heap_start;
    if (incr > __heap_end - heap_top || heap_top + incr < __heap_start) {
        spin_unlock(&heap_lock);
        errno = ENOMEM;
        return (void *)-1;
    }
    old = heap_top;
    heap_top += incr;
    spin_unlock(&heap_lock);
    return old;
}

int _read(int fd, char *buf, int len) { (void)fd; (void)buf; (void)len; errno = EBADF; return -1; }
int _close(int fd) { (void)fd; return -1; }
int _lseek(int fd, int off, int whence) { (void)fd; (void)off; (void)whence; return 0; }
int _isatty(int fd) { return fd < 3; }
int _fstat(int fd, struct stat *st) { (void)fd; st->st_mode = S_IFCHR; return 0; }
int _getpid(void) { return 1; }
int _kill(int pid, int sig) { (void)pid; (void)sig; errno = EINVAL; return -1; }
void _exit(int status) { orderly_exit(status ? 1 : 0); }

/* powerpc-eabi newlib calls the names without the underscore. */
int write(int fd, const char *buf, int len) __attribute__((weak, alias("_write")));
void *sbrk(ptrdiff_t incr) __attribute__((weak, alias("_sbrk")));
int read(int fd, char *buf, int len) __attribute__((weak, alias("_read")));
int close(int fd) __attribute__((weak, alias("_close")));
int lseek(int fd, int off, int whence) __attribute__((weak, alias("_lseek")));
int isatty(int fd) __attribute__((weak, alias("_isatty")));
int fstat(int fd, struct stat *st) __attribute__((weak, alias("_fstat")));
int getpid(void) __attribute__((weak, alias("_getpid")));
int kill(int pid, int sig) __attribute__((weak, alias("_kill")));
