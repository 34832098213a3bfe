// bcrypt for etcd's stored password hashes, through libxcrypt's crypt_r / crypt_gensalt_rn.
#include "CShim.h"
#include <crypt.h>
#include <string.h>

int swetcd_bcrypt_hash(const char *password, size_t password_len, int cost, char *out, size_t out_size) {
    (void)password_len;
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    // A NULL random source makes libxcrypt draw the salt from the kernel (getrandom).
    if (crypt_gensalt_rn("$2a$", (unsigned long)cost, NULL, 0, setting, sizeof setting) == NULL) return -1;
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    const char *hashed = crypt_r(password, setting, &data);
    if (hashed == NULL || hashed[0] == '*') return -1;
    size_t length = strlen(hashed);
    if (length + 1 > out_size) return -1;
    memcpy(out, hashed, length + 1);
    return 0;
}

int swetcd_bcrypt_verify(const char *password, size_t password_len, const char *hash) {
    (void)password_len;
    if (strncmp(hash, "$2a$", 4) != 0 && strncmp(hash, "$2b$", 4) != 0 && strncmp(hash, "$2y$", 4) != 0) return -1;
    struct crypt_data data;
    memset(&data, 0, sizeof data);
    const char *hashed = crypt_r(password, hash, &data);
    if (hashed == NULL || hashed[0] == '*') return -1;
    // Constant-time comparison over the whole hash.
    size_t length = strlen(hash);
    if (strlen(hashed) != length) return 0;
    unsigned char difference = 0;
    for (size_t i = 0; i < length; i++) difference |= (unsigned char)(hashed[i] ^ hash[i]);
    return difference == 0 ? 1 : 0;
}
