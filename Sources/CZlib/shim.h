#ifndef TCPFLOW_AUDIT_CZLIB_SHIM_H
#define TCPFLOW_AUDIT_CZLIB_SHIM_H
#include <stdio.h>
#include <sys/types.h>
#include <zlib.h>

/* glibc's fopencookie(3), which Swift's Glibc module hides behind _GNU_SOURCE: the same
   function under another name, with a structure laid out as cookie_io_functions_t. */
typedef struct {
    ssize_t (*read)(void *cookie, char *buffer, size_t size);
    ssize_t (*write)(void *cookie, const char *buffer, size_t size);
    int (*seek)(void *cookie, long long *offset, int whence);
    int (*close)(void *cookie);
} tcpflow_cookie_functions;

extern FILE *tcpflow_fopencookie(void *cookie, const char *mode, tcpflow_cookie_functions functions)
    __asm__("fopencookie");
#endif
