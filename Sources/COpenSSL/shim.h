#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* SHA-256 of `len` bytes into `out` (32 bytes). Returns 1 on success. */
static inline int cossl_sha256(const EVP_MD *md, const void *data, size_t len, uint8_t *out) {
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, md, NULL);
}

/* HMAC-SHA256 of `len` bytes under `key` into `out` (32 bytes). Returns 1 on success. */
static inline int cossl_hmac_sha256(const EVP_MD *md, const void *key, size_t keylen,
                                    const void *data, size_t len, uint8_t *out) {
    unsigned int n = 0;
    return HMAC(md, key, (int)keylen, (const unsigned char *)data, len, out, &n) != NULL;
}

/* The SHA-256 implementation, fetched once by the caller and kept. */
static inline EVP_MD *cossl_fetch_sha256(void) {
    return EVP_MD_fetch(NULL, "SHA256", NULL);
}
#endif
