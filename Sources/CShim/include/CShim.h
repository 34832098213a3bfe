#ifndef SWETCD_CSHIM_H
#define SWETCD_CSHIM_H
// The project's only C: thin, logic-free wrappers around C APIs whose macros, inline functions or
// variadic signatures Swift cannot call directly. Every symbol is prefixed `swetcd_`.
#include <stddef.h>
#include <stdint.h>
// Linux headers the Glibc module does not export; the event loops use them directly.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <netinet/tcp.h>

/// SHA-1 of `len` bytes at `data` into `out` (20 bytes), via OpenSSL's libcrypto.
/// etcd derives member and cluster IDs from SHA-1 digests.
void swetcd_sha1(const void *data, size_t len, uint8_t out[20]);

/// Incremental SHA-256 (OpenSSL EVP). etcd appends the SHA-256 of a database snapshot to the
/// snapshot stream; `etcdctl snapshot save` verifies it. NULL from `new` means out of memory.
void *swetcd_sha256_new(void);
void swetcd_sha256_update(void *context, const void *data, size_t len);
/// Writes the 32-byte digest to `out` and frees the context.
void swetcd_sha256_finish(void *context, uint8_t out[32]);

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC (a GNU extension Glibc's module map hides).
int swetcd_accept_nonblocking(int listener);

/// Names the calling thread (pthread_setname_np, GNU); the kernel keeps 15 bytes.
void swetcd_set_thread_name(const char *name);

/// bcrypt through libxcrypt (Debian's libcrypt), in the "$2a$" form Go's x/crypto/bcrypt (and
/// so etcd) writes: hashes `password` (`password_len` bytes, NUL-free) with a fresh random salt
/// at `cost` into `out` (NUL-terminated; `out_size` >= 64). Returns 0, or -1 on failure.
int swetcd_bcrypt_hash(const char *password, size_t password_len, int cost, char *out, size_t out_size);
/// 1 when `password` matches `hash` (any "$2a$"/"$2b$"/"$2y$" bcrypt hash), 0 when it does not,
/// -1 when `hash` is not a bcrypt hash.
int swetcd_bcrypt_verify(const char *password, size_t password_len, const char *hash);

#endif
