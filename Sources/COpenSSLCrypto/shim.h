#ifndef DEMARC_COPENSSLCRYPTO_SHIM_H
#define DEMARC_COPENSSLCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
