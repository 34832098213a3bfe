// TLS for the client and peer ports, through OpenSSL (libssl). The event loops never hand a
// socket to OpenSSL: each connection's TLS session reads and writes memory BIOs, and the loop
// moves the ciphertext between them and the socket, so TLS fits the same non-blocking,
// one-write-per-turn loop as plaintext.
#include "CShim.h"
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct swetcd_tls_session {
    SSL *ssl;
    BIO *in;   // ciphertext from the socket
    BIO *out;  // ciphertext for the socket
    char error[256];  // why the session failed, for the "rejected connection" log line
};

// Records why `session` failed: the certificate verification error when there is one, else
// OpenSSL's reason (e.g. "sslv3 alert bad certificate", "unsupported protocol").
static void note_failure(struct swetcd_tls_session *session) {
    long verify = SSL_get_verify_result(session->ssl);
    unsigned long code = ERR_peek_last_error();
    if (verify != X509_V_OK) {
        snprintf(session->error, sizeof session->error, "tls: failed to verify certificate: %s",
                 X509_verify_cert_error_string(verify));
    } else if (code != 0) {
        const char *reason = ERR_reason_error_string(code);
        snprintf(session->error, sizeof session->error, "tls: %s", reason ? reason : "handshake failed");
    } else {
        snprintf(session->error, sizeof session->error, "tls: handshake failed");
    }
    ERR_clear_error();
}

const char *swetcd_tls_failure(void *opaque) {
    struct swetcd_tls_session *session = opaque;
    return session->error;
}

static void last_error(const char *what, char *err, size_t err_size) {
    if (err == NULL || err_size == 0) return;
    unsigned long code = ERR_peek_last_error();
    char reason[256] = "";
    if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
    snprintf(err, err_size, "%s%s%s", what, reason[0] ? ": " : "", reason);
    ERR_clear_error();
}

// ALPN: a client offering h2 gets h2; one offering nothing is served anyway (etcd's Go server
// speaks h2 to clients that do not negotiate).
static int select_h2(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                     const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    int offers_http11 = 0;
    for (unsigned int i = 0; i < inlen;) {
        unsigned int length = in[i];
        if (i + 1 + length > inlen) break;
        if (length == 2 && memcmp(in + i + 1, "h2", 2) == 0) {
            *out = in + i + 1;
            *outlen = 2;
            return SSL_TLSEXT_ERR_OK;
        }
        if (length == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0) offers_http11 = 1;
        i += 1 + length;
    }
    // As Go's server: a client that can fall back to HTTP/1.1 goes on without ALPN; one that
    // offers only protocols we do not speak gets the no_application_protocol alert.
    return offers_http11 || inlen == 0 ? SSL_TLSEXT_ERR_NOACK : SSL_TLSEXT_ERR_ALERT_FATAL;
}

// Checks peers' certificates against the CRL in `crl_file` ("" or NULL for none).
static int load_crl(SSL_CTX *ctx, const char *crl_file, char *err, size_t err_size) {
    if (crl_file == NULL || crl_file[0] == '\0') return 1;
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    X509_LOOKUP *lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
    if (lookup == NULL || X509_load_crl_file(lookup, crl_file, X509_FILETYPE_PEM) <= 0) {
        last_error("cannot load the CRL file", err, err_size);
        return 0;
    }
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    return 1;
}

void *swetcd_tls_server_context(const char *cert_file, const char *key_file, const char *trusted_ca_file,
                                const char *crl_file, int verify_client, const char *cipher_list,
                                int offer_h2, int min_version, int max_version, char *err, size_t err_size) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) { last_error("cannot create a TLS context", err, err_size); return NULL; }
    // etcd's default minimum is TLS 1.2; 0 leaves the maximum to OpenSSL.
    SSL_CTX_set_min_proto_version(ctx, min_version > 0 ? min_version : TLS1_2_VERSION);
    if (max_version > 0) SSL_CTX_set_max_proto_version(ctx, max_version);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        last_error("cannot load the certificate", err, err_size);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        last_error("cannot load the private key", err, err_size);
        goto fail;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        last_error("the private key does not match the certificate", err, err_size);
        goto fail;
    }
    if (cipher_list != NULL && cipher_list[0] != '\0' && SSL_CTX_set_cipher_list(ctx, cipher_list) != 1) {
        last_error("no usable cipher suite", err, err_size);
        goto fail;
    }
    if (trusted_ca_file != NULL && trusted_ca_file[0] != '\0') {
        if (SSL_CTX_load_verify_locations(ctx, trusted_ca_file, NULL) != 1) {
            last_error("cannot load the trusted CA file", err, err_size);
            goto fail;
        }
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(trusted_ca_file);
        if (names != NULL) SSL_CTX_set_client_CA_list(ctx, names);
    }
    if (!load_crl(ctx, crl_file, err, err_size)) goto fail;
    if (verify_client) SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    if (offer_h2) SSL_CTX_set_alpn_select_cb(ctx, select_h2, NULL);
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

void swetcd_tls_context_free(void *context) { SSL_CTX_free((SSL_CTX *)context); }

void *swetcd_tls_session_new(void *context) {
    struct swetcd_tls_session *session = calloc(1, sizeof *session);
    if (session == NULL) return NULL;
    session->ssl = SSL_new((SSL_CTX *)context);
    session->in = BIO_new(BIO_s_mem());
    session->out = BIO_new(BIO_s_mem());
    if (session->ssl == NULL || session->in == NULL || session->out == NULL) {
        if (session->ssl) SSL_free(session->ssl);
        if (session->in) BIO_free(session->in);
        if (session->out) BIO_free(session->out);
        free(session);
        return NULL;
    }
    // A read of an empty memory BIO means "more later", not end of file.
    BIO_set_mem_eof_return(session->in, -1);
    SSL_set_bio(session->ssl, session->in, session->out);
    SSL_set_accept_state(session->ssl);
    return session;
}

void swetcd_tls_session_free(void *opaque) {
    struct swetcd_tls_session *session = opaque;
    if (session == NULL) return;
    SSL_free(session->ssl);  // frees both BIOs
    free(session);
}

int swetcd_tls_feed(void *opaque, const void *data, size_t length) {
    struct swetcd_tls_session *session = opaque;
    return BIO_write(session->in, data, (int)length) == (int)length ? 0 : -1;
}

long swetcd_tls_read(void *opaque, void *buffer, size_t capacity) {
    struct swetcd_tls_session *session = opaque;
    int count = SSL_read(session->ssl, buffer, (int)capacity);
    if (count > 0) return count;
    switch (SSL_get_error(session->ssl, count)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        return 0;
    case SSL_ERROR_ZERO_RETURN:
        return -2;
    default:
        note_failure(session);
        return -1;
    }
}

long swetcd_tls_write(void *opaque, const void *data, size_t length) {
    struct swetcd_tls_session *session = opaque;
    if (length == 0) return 0;
    int count = SSL_write(session->ssl, data, (int)length);
    if (count > 0) return count;
    int error = SSL_get_error(session->ssl, count);
    ERR_clear_error();
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

size_t swetcd_tls_output_pending(void *opaque) {
    struct swetcd_tls_session *session = opaque;
    return BIO_ctrl_pending(session->out);
}

size_t swetcd_tls_take_output(void *opaque, void *buffer, size_t capacity) {
    struct swetcd_tls_session *session = opaque;
    int count = BIO_read(session->out, buffer, (int)capacity);
    return count > 0 ? (size_t)count : 0;
}

long swetcd_tls_peer_common_name(void *opaque, char *out, size_t capacity) {
    struct swetcd_tls_session *session = opaque;
    X509 *certificate = SSL_get1_peer_certificate(session->ssl);
    if (certificate == NULL) return -1;
    X509_NAME *subject = X509_get_subject_name(certificate);
    int length = subject ? X509_NAME_get_text_by_NID(subject, NID_commonName, out, (int)capacity) : -1;
    X509_free(certificate);
    return length;
}

// etcd's SelfCert: a P-521 ECDSA key and a self-signed certificate (organization "etcd", one
// year, server auth plus `client_auth` when asked, each host as an IP or DNS SAN), written as
// PEM to cert_path and key_path (0600).
int swetcd_tls_self_signed(const char *cert_path, const char *key_path, const char *const *hosts,
                           size_t host_count, int client_auth, char *err, size_t err_size) {
    int status = -1;
    EVP_PKEY *key = EVP_EC_gen("P-521");
    X509 *certificate = X509_new();
    FILE *file = NULL;
    if (key == NULL || certificate == NULL) { last_error("cannot generate an ECDSA key", err, err_size); goto done; }
    X509_set_version(certificate, 2);
    BIGNUM *serial = BN_new();
    if (serial == NULL || BN_rand(serial, 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) == NULL) {
        BN_free(serial);
        last_error("cannot generate a serial number", err, err_size);
        goto done;
    }
    BN_free(serial);
    X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 365L * 24 * 3600);
    X509_NAME *name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"etcd", -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_set_pubkey(certificate, key);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, certificate, certificate, NULL, NULL, 0);
    char san[4096] = "";
    size_t used = 0;
    for (size_t i = 0; i < host_count; i++) {
        unsigned char address[16];
        int isIP = inet_pton(AF_INET, hosts[i], address) == 1 || inet_pton(AF_INET6, hosts[i], address) == 1;
        int written = snprintf(san + used, sizeof san - used, "%s%s:%s", used ? "," : "", isIP ? "IP" : "DNS", hosts[i]);
        if (written < 0 || (size_t)written >= sizeof san - used) break;
        used += (size_t)written;
    }
    const char *extensions[][2] = {
        {"basicConstraints", "critical,CA:FALSE"},
        {"keyUsage", "critical,digitalSignature,keyEncipherment"},
        {"extendedKeyUsage", client_auth ? "serverAuth,clientAuth" : "serverAuth"},
        {"subjectAltName", san},
    };
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        if (extensions[i][1][0] == '\0') continue;
        X509_EXTENSION *extension = X509V3_EXT_conf(NULL, &v3, extensions[i][0], extensions[i][1]);
        if (extension == NULL) { last_error("cannot build a certificate extension", err, err_size); goto done; }
        X509_add_ext(certificate, extension, -1);
        X509_EXTENSION_free(extension);
    }
    if (X509_sign(certificate, key, EVP_sha512()) == 0) { last_error("cannot sign the certificate", err, err_size); goto done; }
    file = fopen(cert_path, "w");
    if (file == NULL || PEM_write_X509(file, certificate) != 1) { snprintf(err, err_size, "cannot write %s", cert_path); goto done; }
    fclose(file);
    int fd = open(key_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    file = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (file == NULL || PEM_write_PrivateKey(file, key, NULL, NULL, 0, NULL, NULL) != 1) {
        snprintf(err, err_size, "cannot write %s", key_path);
        goto done;
    }
    status = 0;
done:
    if (file != NULL) fclose(file);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return status;
}

void *swetcd_tls_client_context(const char *cert_file, const char *key_file, const char *trusted_ca_file,
                                const char *crl_file, const char *cipher_list, int skip_verify,
                                int min_version, int max_version, char *err, size_t err_size) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) { last_error("cannot create a TLS context", err, err_size); return NULL; }
    SSL_CTX_set_min_proto_version(ctx, min_version > 0 ? min_version : TLS1_2_VERSION);
    if (max_version > 0) SSL_CTX_set_max_proto_version(ctx, max_version);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS);
    if (cert_file != NULL && cert_file[0] != '\0') {
        if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1
            || SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1
            || SSL_CTX_check_private_key(ctx) != 1) {
            last_error("cannot load the client certificate and key", err, err_size);
            goto fail;
        }
    }
    if (cipher_list != NULL && cipher_list[0] != '\0' && SSL_CTX_set_cipher_list(ctx, cipher_list) != 1) {
        last_error("no usable cipher suite", err, err_size);
        goto fail;
    }
    if (trusted_ca_file != NULL && trusted_ca_file[0] != '\0') {
        if (SSL_CTX_load_verify_locations(ctx, trusted_ca_file, NULL) != 1) {
            last_error("cannot load the trusted CA file", err, err_size);
            goto fail;
        }
    } else {
        SSL_CTX_set_default_verify_paths(ctx);
    }
    if (!load_crl(ctx, crl_file, err, err_size)) goto fail;
    SSL_CTX_set_verify(ctx, skip_verify ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

void *swetcd_tls_session_new_client(void *context, const char *host) {
    struct swetcd_tls_session *session = swetcd_tls_session_new(context);
    if (session == NULL) return NULL;
    SSL_set_connect_state(session->ssl);
    if (host != NULL && host[0] != '\0') {
        unsigned char address[16];
        X509_VERIFY_PARAM *param = SSL_get0_param(session->ssl);
        if (inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1) {
            X509_VERIFY_PARAM_set1_ip_asc(param, host);
        } else {
            X509_VERIFY_PARAM_set1_host(param, host, 0);
            SSL_set_tlsext_host_name(session->ssl, host);
        }
    }
    return session;
}

int swetcd_tls_handshake(void *opaque) {
    struct swetcd_tls_session *session = opaque;
    int result = SSL_do_handshake(session->ssl);
    if (result == 1) return 1;
    int error = SSL_get_error(session->ssl, result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return 0;
    note_failure(session);
    return -1;
}
