#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
/* The low-level SHA-256 API is deprecated in OpenSSL 3 but remains supported: it skips the EVP
 * provider dispatch, and its context is a plain struct that can be copied, which is what lets an
 * HMAC key's inner and outer states be computed once and reused. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <openssl/sha.h>

/* SHA-256 of `len` bytes into `out` (32 bytes). */
static inline void cossl_sha256(const void *data, size_t len, uint8_t *out) {
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, data, len);
    SHA256_Final(out, &c);
}

/* An HMAC-SHA256 key with its padded inner and outer states already absorbed. */
typedef struct {
    SHA256_CTX inner;
    SHA256_CTX outer;
} cossl_hmac_key;

/* Prepares `k` from a raw key of any length. */
static inline void cossl_hmac_prepare(cossl_hmac_key *k, const void *key, size_t keylen) {
    uint8_t block[64];
    uint8_t pad[64];
    memset(block, 0, sizeof block);
    if (keylen > 64) {
        cossl_sha256(key, keylen, block);
    } else if (keylen > 0) {
        memcpy(block, key, keylen);
    }
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&k->inner);
    SHA256_Update(&k->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&k->outer);
    SHA256_Update(&k->outer, pad, 64);
}

/* HMAC-SHA256 of `len` bytes under the prepared key into `out` (32 bytes). */
static inline void cossl_hmac_finish(const cossl_hmac_key *k, const void *data, size_t len, uint8_t *out) {
    SHA256_CTX c = k->inner;
    SHA256_Update(&c, data, len);
    SHA256_Final(out, &c);
    c = k->outer;
    SHA256_Update(&c, out, 32);
    SHA256_Final(out, &c);
}

/* HMAC-SHA256 with a raw key, in one call. */
static inline void cossl_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len, uint8_t *out) {
    cossl_hmac_key k;
    cossl_hmac_prepare(&k, key, keylen);
    cossl_hmac_finish(&k, data, len, out);
}
#endif
