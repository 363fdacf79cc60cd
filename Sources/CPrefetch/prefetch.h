#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for reading (a hint: it never
/// faults). Swift has no prefetch of its own.
static inline void cprefetch_read(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
