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

/// TLS (OpenSSL) over memory buffers: the caller moves ciphertext between a session and its
/// socket. `server_context` returns an SSL_CTX (NULL with a message in `err`); the options
/// are etcd's TLSInfo: a certificate chain and key, an optional CA file for client
/// certificates (required when `verify_client`), an optional CRL file, an OpenSSL cipher list
/// ("" for the defaults), the protocol versions allowed (0x0303 TLS 1.2, 0x0304 TLS 1.3; 0 for
/// the defaults: at least TLS 1.2), and ALPN "h2" when `offer_h2`.
void *swetcd_tls_server_context(const char *cert_file, const char *key_file, const char *trusted_ca_file,
                                const char *crl_file, int verify_client, const char *cipher_list,
                                int offer_h2, int min_version, int max_version, char *err, size_t err_size);
void swetcd_tls_context_free(void *context);
/// A server-side session on `context` (kept alive by the session); NULL when out of memory.
void *swetcd_tls_session_new(void *context);
void swetcd_tls_session_free(void *session);
/// Ciphertext read from the socket. 0, or -1 when out of memory.
int swetcd_tls_feed(void *session, const void *data, size_t length);
/// Plaintext into `buffer`: > 0 bytes, 0 when more ciphertext is needed (the handshake may
/// have produced output meanwhile), -1 on a fatal error (handshake refused, bad record), -2
/// when the peer closed the TLS session.
long swetcd_tls_read(void *session, void *buffer, size_t capacity);
/// Encrypts plaintext: bytes taken (> 0), 0 when the handshake must progress first, -1 fatal.
long swetcd_tls_write(void *session, const void *data, size_t length);
/// Ciphertext waiting for the socket, and taking it.
size_t swetcd_tls_output_pending(void *session);
size_t swetcd_tls_take_output(void *session, void *buffer, size_t capacity);
/// Why a session failed (empty while it has not): etcd's "rejected connection" reason.
const char *swetcd_tls_failure(void *session);
/// The verified peer certificate's common name into `out` (NUL-terminated); its length, or -1
/// without a peer certificate.
long swetcd_tls_peer_common_name(void *session, char *out, size_t capacity);

/// A client context (peers dialing peers): our certificate and key when given (mutual TLS),
/// the CA to verify the server with (system defaults without one), a CRL, a cipher list, TLS
/// 1.2 at least; `skip_verify` for self-signed peers (--peer-auto-tls, as etcd).
void *swetcd_tls_client_context(const char *cert_file, const char *key_file, const char *trusted_ca_file,
                                const char *crl_file, const char *cipher_list, int skip_verify,
                                int min_version, int max_version, char *err, size_t err_size);
/// A client-side session that checks the server's certificate names `host` (IP or DNS).
void *swetcd_tls_session_new_client(void *context, const char *host);
/// Drives the handshake: 1 done, 0 needs more input (send the output first), -1 failed.
int swetcd_tls_handshake(void *session);

/// etcd's self-signed certificate for --auto-tls / --peer-auto-tls (see tls.c). 0, or -1 with
/// a message in `err`.
int swetcd_tls_self_signed(const char *cert_path, const char *key_path, const char *const *hosts,
                           size_t host_count, int client_auth, char *err, size_t err_size);

/// JWT signing keys (PEM): a private key (PKCS #8 or traditional) or a public key (PKIX);
/// NULL when the file cannot be read as one. `key_kind`: 1 RSA, 2 EC, 0 other.
void *swetcd_jwt_key_load(const char *path, int is_private);
void swetcd_jwt_key_free(void *key);
int swetcd_jwt_key_kind(void *key);
/// Signs `data` as JWS algorithm `alg` (RS/PS/ES + 256/384/512): signature length, or -1.
long swetcd_jwt_sign(void *key, const char *alg, const void *data, size_t length, uint8_t *out, size_t capacity);
/// 1 when `signature` is `alg`'s signature of `data` by `key` (public or private), else 0.
int swetcd_jwt_verify(void *key, const char *alg, const void *data, size_t length, const uint8_t *signature,
                      size_t signature_length);

/// bcrypt through libxcrypt (Debian's libcrypt), in the "$2a$" form Go's x/crypto/bcrypt (and
/// so etcd) writes: hashes `password` (`password_len` bytes, NUL-free) with a fresh random salt
/// at `cost` into `out` (NUL-terminated; `out_size` >= 64). Returns 0, or -1 on failure.
int swetcd_bcrypt_hash(const char *password, size_t password_len, int cost, char *out, size_t out_size);
/// 1 when `password` matches `hash` (any "$2a$"/"$2b$"/"$2y$" bcrypt hash), 0 when it does not,
/// -1 when `hash` is not a bcrypt hash.
int swetcd_bcrypt_verify(const char *password, size_t password_len, const char *hash);

#endif
