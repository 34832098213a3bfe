#include "CShim.h"
#include <openssl/sha.h>

void swetcd_sha1(const void *data, size_t len, uint8_t out[20]) {
    SHA1((const unsigned char *)data, len, out);
}

#include <openssl/evp.h>

void *swetcd_sha256_new(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context != NULL && EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

void swetcd_sha256_update(void *context, const void *data, size_t len) {
    EVP_DigestUpdate((EVP_MD_CTX *)context, data, len);
}

void swetcd_sha256_finish(void *context, uint8_t out[32]) {
    unsigned int length = 0;
    EVP_DigestFinal_ex((EVP_MD_CTX *)context, out, &length);
    EVP_MD_CTX_free((EVP_MD_CTX *)context);
}
