#ifndef DEMARC_CLIBXML2_SHIM_H
#define DEMARC_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian's headers pull in the system ICU, which clashes with Foundation's ICU module. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/encoding.h>
#include <libxml/xmlIO.h>

/* Swift 6 rejects the global function pointer xmlFree; call it through this. */
static inline void demarc_xmlFree(void *p) { xmlFree(p); }

/* libxml2 reports some errors (e.g. "xmlParseChunk: encoder error") only through the per-thread
   generic error function, which prints on standard error; a variadic C function cannot be
   written in Swift, so this silences it. The parse's return code still tells. */
static void demarc_ignoreGenericError(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void demarc_silenceGenericErrors(void) { xmlSetGenericErrorFunc(NULL, demarc_ignoreGenericError); }

#endif
