#ifndef DEMARC_COPENSSLCRYPTO_SHIM_H
#define DEMARC_COPENSSLCRYPTO_SHIM_H
/* SHA256_Init and friends are deprecated in OpenSSL 3 but still shipped: see below. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/sha.h>

/* SHA-256 of one short input (a finding's fingerprint). EVP_Digest sets up and frees a
   context and looks the algorithm up on every call: about 300 ns for 32 bytes here, against
   50 ns through a SHA256_CTX, for hundreds of thousands of findings a run. Where the
   deprecated functions are left out of the build, EVP_Digest. */
static inline void demarc_sha256(const void *data, size_t length, unsigned char *digest) {
#if defined(OPENSSL_NO_DEPRECATED_3_0)
    unsigned int written = 0;
    EVP_Digest(data, length, digest, &written, EVP_sha256(), NULL);
#else
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(digest, &context);
#endif
}
#endif
