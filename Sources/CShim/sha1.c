#include "CShim.h"
#include <openssl/sha.h>

void swetcd_sha1(const void *data, size_t len, uint8_t out[20]) {
    SHA1((const unsigned char *)data, len, out);
}
