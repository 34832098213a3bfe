// JWT signatures for etcd's `--auth-token jwt,...` tokens, through OpenSSL: RS256/384/512
// (PKCS #1 v1.5), PS256/384/512 (PSS) and ES256/384/512 (ECDSA, the signature as JWS wants
// it: r and s as fixed-size big-endian integers, not DER).
#include "CShim.h"
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

void *swetcd_jwt_key_load(const char *path, int is_private) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return NULL;
    EVP_PKEY *key = is_private ? PEM_read_PrivateKey(file, NULL, NULL, NULL) : PEM_read_PUBKEY(file, NULL, NULL, NULL);
    fclose(file);
    ERR_clear_error();
    return key;
}

void swetcd_jwt_key_free(void *key) { EVP_PKEY_free((EVP_PKEY *)key); }

int swetcd_jwt_key_kind(void *key) {
    switch (EVP_PKEY_get_base_id((EVP_PKEY *)key)) {
    case EVP_PKEY_RSA: return 1;
    case EVP_PKEY_EC: return 2;
    default: return 0;
    }
}

static const EVP_MD *digest_of(const char *alg) {
    if (strcmp(alg + 2, "256") == 0) return EVP_sha256();
    if (strcmp(alg + 2, "384") == 0) return EVP_sha384();
    if (strcmp(alg + 2, "512") == 0) return EVP_sha512();
    return NULL;
}

// The size of r (and of s) in an ES signature.
static size_t ec_half(const char *alg) {
    if (strcmp(alg, "ES256") == 0) return 32;
    if (strcmp(alg, "ES384") == 0) return 48;
    if (strcmp(alg, "ES512") == 0) return 66;
    return 0;
}

static int set_padding(EVP_PKEY_CTX *pctx, const char *alg) {
    if (alg[0] == 'P') {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
    }
    return 1;
}

long swetcd_jwt_sign(void *key, const char *alg, const void *data, size_t length, uint8_t *out, size_t capacity) {
    const EVP_MD *md = digest_of(alg);
    if (md == NULL) return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    long result = -1;
    unsigned char der[1024];
    size_t der_length = sizeof der;
    if (ctx == NULL || EVP_DigestSignInit(ctx, &pctx, md, NULL, (EVP_PKEY *)key) != 1 || !set_padding(pctx, alg)) goto done;
    if (alg[0] == 'E') {
        if (EVP_DigestSign(ctx, der, &der_length, data, length) != 1) goto done;
        const unsigned char *cursor = der;
        ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &cursor, (long)der_length);
        size_t half = ec_half(alg);
        if (sig == NULL || half == 0 || capacity < 2 * half) { ECDSA_SIG_free(sig); goto done; }
        const BIGNUM *r, *s;
        ECDSA_SIG_get0(sig, &r, &s);
        int ok = BN_bn2binpad(r, out, (int)half) == (int)half && BN_bn2binpad(s, out + half, (int)half) == (int)half;
        ECDSA_SIG_free(sig);
        if (ok) result = (long)(2 * half);
    } else {
        size_t signature_length = capacity;
        if (EVP_DigestSign(ctx, out, &signature_length, data, length) == 1) result = (long)signature_length;
    }
done:
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return result;
}

int swetcd_jwt_verify(void *key, const char *alg, const void *data, size_t length, const uint8_t *signature, size_t signature_length) {
    const EVP_MD *md = digest_of(alg);
    if (md == NULL) return 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int result = 0;
    unsigned char *der = NULL;
    if (ctx == NULL || EVP_DigestVerifyInit(ctx, &pctx, md, NULL, (EVP_PKEY *)key) != 1 || !set_padding(pctx, alg)) goto done;
    if (alg[0] == 'E') {
        size_t half = ec_half(alg);
        if (half == 0 || signature_length != 2 * half) goto done;
        ECDSA_SIG *sig = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(signature, (int)half, NULL), *s = BN_bin2bn(signature + half, (int)half, NULL);
        if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
            BN_free(r); BN_free(s); ECDSA_SIG_free(sig);
            goto done;
        }
        int der_length = i2d_ECDSA_SIG(sig, &der);
        ECDSA_SIG_free(sig);
        if (der_length <= 0) goto done;
        result = EVP_DigestVerify(ctx, der, (size_t)der_length, data, length) == 1;
    } else {
        result = EVP_DigestVerify(ctx, signature, signature_length, data, length) == 1;
    }
done:
    OPENSSL_free(der);
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return result;
}
